//! Counts in messages: "1 article", "3 articles".

/// A count with its noun in the right number: `plural(1, "article", "articles")` is
/// "1 article", `plural(3, …)` is "3 articles".
pub fn plural<T>(count: T, one: &str, many: &str) -> String
where
    T: std::fmt::Display + PartialEq + From<u8>,
{
    if count == T::from(1) {
        format!("{count} {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1_u64, "article", "articles"), "1 article");
        assert_eq!(plural(0_usize, "article", "articles"), "0 articles");
        assert_eq!(plural(12_u64, "detail", "details"), "12 details");
    }
}
