//! Reading pages as HTML (with a real parser, as a browser would), so that a test asks for an
//! element by its selector and a markup change that keeps the page right keeps the test green.

use scraper::{Html, Selector};

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|error| panic!("selector {css:?}: {error}"))
}

/// The text of every element `css` selects, trimmed, in document order.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&selector(css))
        .map(|element| element.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of `attribute` on every element `css` selects that has it.
pub fn attributes(html: &str, css: &str, attribute: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&selector(css))
        .filter_map(|element| element.value().attr(attribute).map(str::to_string))
        .collect()
}

/// Whether the first element `css` selects has `attribute`; panics when nothing matches.
pub fn first_has(html: &str, css: &str, attribute: &str) -> bool {
    let document = Html::parse_document(html);
    let element = document
        .select(&selector(css))
        .next()
        .unwrap_or_else(|| panic!("{css} is on the page"));
    element.value().attr(attribute).is_some()
}

/// How many elements `css` selects.
pub fn count(html: &str, css: &str) -> usize {
    Html::parse_document(html).select(&selector(css)).count()
}
