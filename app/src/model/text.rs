//! Folding text for search: case- and Turkish-letter-insensitive in both directions, so that
//! `gomlek` finds "Gömlek", `İPEK` finds "ipek" and `IPEK` finds "İpek".

/// Lower case, Turkish letters mapped to their ASCII base (ç→c, ğ→g, ı/İ/I→i, ö→o, ş→s, ü→u),
/// every run of other characters reduced to one space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let mapped = match c {
            'ç' | 'Ç' => 'c',
            'ğ' | 'Ğ' => 'g',
            'ı' | 'İ' | 'I' | 'i' => 'i',
            'ö' | 'Ö' => 'o',
            'ş' | 'Ş' => 's',
            'ü' | 'Ü' => 'u',
            'â' | 'Â' => 'a',
            'î' | 'Î' => 'i',
            'û' | 'Û' => 'u',
            c if c.is_alphanumeric() => {
                for lower in c.to_lowercase() {
                    if pending_space && !folded.is_empty() {
                        folded.push(' ');
                    }
                    pending_space = false;
                    folded.push(lower);
                }
                continue;
            }
            _ => {
                pending_space = true;
                continue;
            }
        };
        if pending_space && !folded.is_empty() {
            folded.push(' ');
        }
        pending_space = false;
        folded.push(mapped);
    }
    folded
}

/// Lower case by Turkish rules: `İ` → `i`, `I` → `ı` (Rust's `to_lowercase` would turn `İ`
/// into `i` plus a combining dot).
pub fn lowercase_tr(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            'İ' => vec!['i'],
            'I' => vec!['ı'],
            other => other.to_lowercase().collect(),
        })
        .collect()
}

/// A URL slug from a name: folded, words joined by `-`.
pub fn slugify(text: &str) -> String {
    fold(text).replace(' ', "-")
}

/// `template` with every `%{name}` placeholder replaced by its value.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut text = template.to_string();
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

/// `text` safe to place in HTML text or a quoted attribute: `& < > " '` become entities.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape_html(r#"</title><meta content="0;url=//x"> & 'q'"#),
            "&lt;/title&gt;&lt;meta content=&quot;0;url=//x&quot;&gt; &amp; &#39;q&#39;"
        );
        assert_eq!(escape_html("Gömlek"), "Gömlek");
    }

    #[test]
    fn turkish_letters_fold_in_both_directions() {
        assert_eq!(fold("Gömlek"), "gomlek");
        assert_eq!(fold("İPEK"), "ipek");
        assert_eq!(fold("IPEK"), "ipek");
        assert_eq!(fold("ipek"), "ipek");
        assert_eq!(fold("ŞAL & EŞARP"), "sal esarp");
        assert_eq!(fold("Çağdaş  Işıltı"), "cagdas isilti");
    }

    #[test]
    fn punctuation_and_injection_attempts_are_just_spaces() {
        assert_eq!(fold("'; DROP TABLE products; --"), "drop table products");
        assert_eq!(fold("  %_ "), "");
    }

    #[test]
    fn turkish_lower_case_keeps_dotted_and_dotless_i_apart() {
        assert_eq!(lowercase_tr("İNCİ BEYAZI"), "inci beyazı");
        assert_eq!(lowercase_tr("Işık Gri"), "ışık gri");
    }

    #[test]
    fn slugs_are_ascii_words_with_dashes() {
        assert_eq!(slugify("Şal & Eşarp"), "sal-esarp");
        assert_eq!(
            slugify("Kaşmir Bisiklet Yaka Kazak"),
            "kasmir-bisiklet-yaka-kazak"
        );
    }
}
