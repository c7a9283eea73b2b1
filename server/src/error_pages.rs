//! The small pages the server answers with when it cannot render the shop's own: the database
//! is unreachable (503) or a handler panicked (500). Plain HTML from the interface strings, in
//! the page's language, with nothing from the failure in it.

use app::i18n::text;
use app::model::{Locale, Page};

/// A complete page with `title_key` as its title and heading and `text_key` as its text.
pub fn html(locale: Locale, title_key: &str, text_key: &str) -> String {
    let title = text(locale, title_key);
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} | Les Minoria</title></head><body><main>\
         <h1>{title}</h1><p>{body}</p><p><a href=\"{home}\">{back}</a></p></main></body></html>",
        lang = locale.code(),
        body = text(locale, text_key),
        home = locale.path(&Page::Home),
        back = text(locale, "error.back_home"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_their_words() {
        let tr = html(
            Locale::Tr,
            "error.unavailable_title",
            "error.unavailable_text",
        );
        assert!(
            tr.contains("<title>Kısa bir ara | Les Minoria</title>"),
            "{tr}"
        );
        assert!(tr.contains(r#"<html lang="tr">"#));
        let en = html(Locale::En, "error.internal_title", "error.internal_text");
        assert!(en.contains("<h1>Something went wrong</h1>"), "{en}");
        assert!(en.contains(r#"href="/en""#));
    }
}
