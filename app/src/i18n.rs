//! Interface strings in Turkish (default) and English, from `app/locales/{tr,en}.yml` through
//! rust-i18n. Pages know their language from the address (`/en/...` is English); islands
//! receive the words they show as props, so the string tables stay out of the WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::model::Locale;

/// The interface string `key` in `locale`.
pub fn text(locale: Locale, key: &str) -> String {
    rust_i18n::t!(key, locale = locale.code()).into_owned()
}

/// `text` with `%{name}` placeholders filled in.
pub fn text_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    crate::model::text::fill(&text(locale, key), args)
}

/// The language of an address: English under `/en`, Turkish everywhere else.
pub fn locale_of_path(path: &str) -> Locale {
    if path == "/en" || path.starts_with("/en/") {
        Locale::En
    } else {
        Locale::Tr
    }
}

/// The language of the page being rendered.
pub fn use_locale() -> Locale {
    locale_of_path(&use_location().pathname.get_untracked())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(yaml: &str) -> Vec<&str> {
        yaml.lines()
            .filter_map(|line| line.split_once(':').map(|(key, _)| key.trim()))
            .filter(|key| !key.starts_with('_') && !key.is_empty())
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let tr = keys(include_str!("../locales/tr.yml"));
        let en = keys(include_str!("../locales/en.yml"));
        assert_eq!(tr, en);
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let tr = keys(include_str!("../locales/tr.yml"));
        for key in tr.iter().take(3) {
            assert_ne!(text(Locale::Tr, key), *key, "{key}");
            assert_ne!(text(Locale::En, key), *key, "{key}");
        }
        assert_eq!(text(Locale::Tr, "search.button"), "Ara");
        assert_eq!(text(Locale::En, "search.button"), "Search");
        assert_eq!(
            text_with(Locale::Tr, "product.kdv_rate", &[("rate", "10")]),
            "KDV oranı %10"
        );
    }

    #[test]
    fn english_lives_under_en() {
        assert_eq!(locale_of_path("/en"), Locale::En);
        assert_eq!(locale_of_path("/en/product/x"), Locale::En);
        assert_eq!(locale_of_path("/endustri"), Locale::Tr);
        assert_eq!(locale_of_path("/"), Locale::Tr);
    }
}
