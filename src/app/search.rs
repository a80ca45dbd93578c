//! The search: the typed query with the panel's filters, pages of hits, and stepping from
//! the open article to the next or previous hit.

use crate::model::SortOrder;

use super::AnnalistApp;
use super::state::HITS_PAGE;

impl AnnalistApp {
    /// `Command::ClearFilters`: drops label, status, outlet and dates, and searches again.
    pub(super) fn clear_filters(&mut self) {
        let search = &mut self.state.search;
        search.label = None;
        search.state = None;
        search.source = None;
        search.from.clear();
        search.to.clear();
        self.run_search();
    }

    /// `Command::LoadHitsPage`: a page the list scrolled to, unless it is loaded.
    pub(super) fn load_hits_page(&mut self, page: usize) {
        if !self.state.search.pages.contains_key(&page) {
            self.load_page(page);
        }
    }

    pub(super) fn run_search(&mut self) {
        let search = &self.state.search;
        let (query, unfinished) = search.filters().query(&search.query);
        let search = &mut self.state.search;
        search.effective_query = query;
        search.unfinished = unfinished;
        search.pages.clear();
        search.revision += 1;
        search.error = None;
        self.load_page(0);
        let open = self.state.reader.as_ref().map(|r| r.article.id);
        let search = &mut self.state.search;
        search.open_row = open.and_then(|id| search.position_of(id));
        search.neighbours = (None, None);
    }

    /// After the index changed: same query, fresh hits, same article open. The open
    /// article's neighbours are remembered first, so the next step goes where it would have
    /// gone before the list changed.
    pub(super) fn rerun_search(&mut self) {
        let open = self.state.reader.as_ref().map(|r| r.article.id);
        let search = &mut self.state.search;
        if let Some(row) = search.open_row
            && open.is_some()
            && search.hit(row).map(|h| h.id) == open
        {
            let id_at = |r: Option<usize>| r.and_then(|r| search.hit(r)).map(|h| h.id);
            search.neighbours = (id_at(row.checked_sub(1)), id_at(row.checked_add(1)));
        }
        let loaded: Vec<usize> = self.state.search.pages.keys().copied().collect();
        self.state.search.pages.clear();
        for page in loaded.into_iter().chain(std::iter::once(0)) {
            if !self.state.search.pages.contains_key(&page) {
                self.load_page(page);
            }
        }
    }

    pub(super) fn load_page(&mut self, page: usize) {
        let query = self.state.search.effective_query.clone();
        // Without words to rank by, "relevance" means the newest first.
        let order = match self.state.search.order {
            SortOrder::Relevance if self.state.search.query.trim().is_empty() => {
                SortOrder::NewestFirst
            }
            order => order,
        };
        match self
            .archive
            .search_sorted(&query, HITS_PAGE, page * HITS_PAGE, order)
        {
            Ok(result) => {
                self.state.search.total = result.total;
                self.state.search.pages.insert(page, result.hits);
            }
            Err(e) => {
                self.state.search.total = 0;
                self.state.search.error = Some(format!("{e:#}"));
            }
        }
    }

    /// Opens the next (or previous) hit, counted from where the open article was in the
    /// list, not from where an edit since moved it.
    pub(super) fn step_article(&mut self, forward: bool) {
        let Some(next) = self.next_row(forward) else {
            return;
        };
        if next >= self.state.search.total {
            return;
        }
        if self.state.search.hit(next).is_none() {
            self.load_page(next / HITS_PAGE);
        }
        if let Some(id) = self.state.search.hit(next).map(|h| h.id) {
            self.open_article(id);
            self.state.search.open_row = Some(next);
        }
    }

    /// The row to open when stepping; `None` when there is nothing before the first.
    fn next_row(&mut self, forward: bool) -> Option<usize> {
        let Some(open) = self.state.reader.as_ref().map(|r| r.article.id) else {
            return Some(0);
        };
        let step = |row: usize| {
            if forward {
                row.checked_add(1)
            } else {
                row.checked_sub(1)
            }
        };
        let row = self.state.search.open_row;
        if let Some(row) = row
            && self.state.search.hit(row).is_none()
        {
            self.load_page(row / HITS_PAGE);
        }
        let search = &self.state.search;
        // Still where it was: the plain case.
        if let Some(row) = row
            && search.hit(row).map(|h| h.id) == Some(open)
        {
            return step(row);
        }
        // Moved or gone: the hit that was next to it, wherever it is now.
        let neighbour = if forward {
            search.neighbours.1
        } else {
            search.neighbours.0
        };
        if let Some(position) = neighbour.and_then(|id| search.position_of(id)) {
            return Some(position);
        }
        // Gone from its row: the rows after it moved up by one.
        if let Some(row) = row {
            return if forward {
                Some(row)
            } else {
                row.checked_sub(1)
            };
        }
        match search.position_of(open) {
            Some(position) => step(position),
            None => Some(0),
        }
    }
}
