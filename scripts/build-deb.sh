#!/usr/bin/env bash
# Builds the Debian package of Annalist: target/annalist_VERSION_ARCH.deb (or --out FILE).
#
#   scripts/build-deb.sh [--profile debug|release] [--out FILE] [--no-build]
#
# dpkg-deb --build from a staging tree, not cargo-deb: dpkg-deb and dpkg-shlibdeps come with
# Debian (dpkg, dpkg-dev), while cargo-deb is one more crate to compile on every fresh machine.
# The tree holds the stripped binary, the desktop entry, the icons, the bash, zsh and fish
# completions and the man pages (both made by the binary itself: `annalist generate`), and the
# copyright file. Depends: dpkg-shlibdeps on the binary (what it links), plus by hand what the
# window loads at run time with dlopen (EGL/GL and xkbcommon for X11), which no tool sees.
# .ci/run builds it from the debug build; a release is built with --profile release.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
out=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --profile) profile="${2:-}"; shift 2 ;;
        --out) out="${2:-}"; shift 2 ;;
        --no-build) build=0; shift ;;
        *) echo "usage: scripts/build-deb.sh [--profile debug|release] [--out FILE] [--no-build]" >&2; exit 2 ;;
    esac
done
case "$profile" in
    debug) cargo_profile=(); dir=debug ;;
    release) cargo_profile=(--release); dir=release ;;
    *) echo "error: --profile is debug or release, not '$profile'" >&2; exit 2 ;;
esac
for tool in dpkg-deb dpkg-shlibdeps strip; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 2; }
done

target="${CARGO_TARGET_DIR:-target}"
if [ "$build" -eq 1 ]; then
    cargo build --locked "${cargo_profile[@]}" --bin annalist
fi
binary="$target/$dir/annalist"
[ -x "$binary" ] || { echo "error: no binary at $binary (build it, or drop --no-build)" >&2; exit 2; }

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
arch="$(dpkg --print-architecture)"
out="${out:-$target/annalist_${version}_${arch}.deb}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/root"

install -D -m 0755 "$binary" "$root/usr/bin/annalist"
strip --strip-all "$root/usr/bin/annalist"
install -D -m 0644 assets/annalist.desktop "$root/usr/share/applications/annalist.desktop"
install -D -m 0644 assets/icons/annalist.svg "$root/usr/share/icons/hicolor/scalable/apps/annalist.svg"
for png in assets/icons/hicolor/*/apps/annalist.png; do
    size="$(basename "$(dirname "$(dirname "$png")")")"
    install -D -m 0644 "$png" "$root/usr/share/icons/hicolor/$size/apps/annalist.png"
done

bin="$root/usr/bin/annalist"
install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d" "$root/usr/share/man/man1" "$root/usr/share/doc/annalist"
"$bin" generate completions bash > "$root/usr/share/bash-completion/completions/annalist"
"$bin" generate completions zsh > "$root/usr/share/zsh/vendor-completions/_annalist"
"$bin" generate completions fish > "$root/usr/share/fish/vendor_completions.d/annalist.fish"
"$bin" generate man "$stage/man"
for page in "$stage"/man/*.1; do
    gzip -9n < "$page" > "$root/usr/share/man/man1/$(basename "$page").gz"
done
cat > "$root/usr/share/doc/annalist/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: annalist
License: MIT OR Apache-2.0

Files: *
Copyright: the Annalist authors
License: MIT OR Apache-2.0
 Bundled data (fonts, gazetteer, map) keeps the licences its sources state
 (assets/fonts, assets/gazetteer/SOURCE.md, assets/map/SOURCE.md in the source).
EOF
find "$root/usr/share" -type f -exec chmod 0644 {} +

# What the binary links, from the shlibs files of the installed libraries.
mkdir -p "$stage/debian"
echo "Source: annalist" > "$stage/debian/control"
shlibs="$(cd "$stage" && dpkg-shlibdeps -O "root/usr/bin/annalist" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$shlibs" ] || { echo "error: dpkg-shlibdeps found no dependencies of the binary" >&2; exit 2; }
# What the window opens with dlopen (eframe's GL path and winit's X11 keyboard).
depends="$shlibs, libegl1, libgl1, libxkbcommon-x11-0"

installed_kb="$(du -sk "$root/usr" | cut -f1)"
install -d "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<EOF
Package: annalist
Version: $version
Architecture: $arch
Maintainer: Annalist developers <annalist@localhost>
Installed-Size: $installed_kb
Depends: $depends
Recommends: libwayland-client0, xdg-desktop-portal
Section: science
Priority: optional
Description: local archive for conflict-news research
 Import news articles (text, HTML, feeds, JSON, CSV), search them with a full-text
 index, annotate spans (places, people, dates, casualty figures) alone or as a team of
 coders, and export datasets: JSONL, CSV, CoNLL, brat, doccano, Label Studio,
 W3C Web Annotation, Parquet, and event tables in UCDP and ACLED shape.
EOF
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k 2 > DEBIAN/md5sums)

mkdir -p "$(dirname "$out")"
# xz for a release (the smallest download); gzip -1 for a debug package, which only CI
# builds, to check it: xz takes minutes over a 60 MB binary on two cores.
if [ "$profile" = release ]; then compression=(-Zxz -z6); else compression=(-Zgzip -z1); fi
dpkg-deb --root-owner-group "${compression[@]}" --build "$root" "$out" >/dev/null
echo "$out"
