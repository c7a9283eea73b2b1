//! The legal texts (`app/content/legal/*.md`) and the small structure they are written in, so
//! that headings and lists reach the page as real headings and lists:
//!
//! - blocks are separated by a blank line;
//! - `## ` starts a heading; lines that all start with `- ` are a list; `1. ` a numbered list;
//!   `a. ` a lettered one; anything else is a paragraph;
//! - inside text, `**…**` is strong, and `{{satici.unvan}}` / `{{siparis.toplam|label}}` are
//!   placeholders: the seller's identity from configuration, and the order's details, which the
//!   checkout fills in per order (until then the label is shown, marked as to be filled).

use crate::model::Locale;

/// The shop's legal documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegalDocument {
    /// Gizlilik ve Çerez Politikası: the brand's notice.
    Privacy,
    /// KVKK Aydınlatma Metni.
    Kvkk,
    /// Mesafeli Satış Sözleşmesi (template, filled per order).
    DistanceSales,
    /// Ön Bilgilendirme Formu (template, filled per order).
    PreContract,
    /// İade ve Cayma.
    Returns,
}

impl LegalDocument {
    /// The text in `locale`. The Turkish text governs; the English one is a translation.
    pub fn source(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Self::Privacy, Locale::Tr) => {
                include_str!("../../content/legal/gizlilik-ve-cerez-politikasi.tr.md")
            }
            (Self::Privacy, Locale::En) => {
                include_str!("../../content/legal/gizlilik-ve-cerez-politikasi.en.md")
            }
            (Self::Kvkk, Locale::Tr) => {
                include_str!("../../content/legal/kvkk-aydinlatma-metni.tr.md")
            }
            (Self::Kvkk, Locale::En) => {
                include_str!("../../content/legal/kvkk-aydinlatma-metni.en.md")
            }
            (Self::DistanceSales, Locale::Tr) => {
                include_str!("../../content/legal/mesafeli-satis-sozlesmesi.tr.md")
            }
            (Self::DistanceSales, Locale::En) => {
                include_str!("../../content/legal/mesafeli-satis-sozlesmesi.en.md")
            }
            (Self::PreContract, Locale::Tr) => {
                include_str!("../../content/legal/on-bilgilendirme-formu.tr.md")
            }
            (Self::PreContract, Locale::En) => {
                include_str!("../../content/legal/on-bilgilendirme-formu.en.md")
            }
            (Self::Returns, Locale::Tr) => include_str!("../../content/legal/iade-ve-cayma.tr.md"),
            (Self::Returns, Locale::En) => include_str!("../../content/legal/iade-ve-cayma.en.md"),
        }
    }

    /// The key of its title among the interface strings.
    pub fn title_key(self) -> &'static str {
        match self {
            Self::Privacy => "legal.privacy",
            Self::Kvkk => "legal.kvkk",
            Self::DistanceSales => "legal.distance_sales",
            Self::PreContract => "legal.pre_contract",
            Self::Returns => "legal.returns",
        }
    }
}

/// A piece of running text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(String),
    /// `{{group.name}}` or `{{group.name|label}}`.
    Placeholder {
        key: String,
        label: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListStyle {
    Bullets,
    Numbers,
    Letters,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading(Vec<Inline>),
    Paragraph(Vec<Inline>),
    List {
        style: ListStyle,
        items: Vec<Vec<Inline>>,
    },
}

/// Parses a legal text into blocks.
pub fn parse(source: &str) -> Vec<Block> {
    source
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .map(parse_block)
        .collect()
}

/// A legal text as HTML, with every placeholder filled by `fill` (a placeholder it cannot fill
/// keeps its label in brackets). What the checkout shows, stores and hashes per order: the same
/// string, so what was accepted is exactly what is kept.
pub fn to_html(source: &str, fill: impl Fn(&str) -> Option<String>) -> String {
    use crate::model::text::escape_html;
    let inline = |parts: Vec<Inline>| -> String {
        parts
            .into_iter()
            .map(|part| match part {
                Inline::Text(text) => escape_html(&text),
                Inline::Strong(text) => format!("<strong>{}</strong>", escape_html(&text)),
                Inline::Placeholder { key, label } => match fill(&key) {
                    Some(value) => escape_html(&value),
                    None => format!("[{}]", escape_html(label.as_deref().unwrap_or(&key))),
                },
            })
            .collect()
    };
    let mut html = String::new();
    for block in parse(source) {
        match block {
            Block::Heading(parts) => html.push_str(&format!("<h2>{}</h2>\n", inline(parts))),
            Block::Paragraph(parts) => html.push_str(&format!("<p>{}</p>\n", inline(parts))),
            Block::List { style, items } => {
                let (open, close) = match style {
                    ListStyle::Bullets => ("<ul>", "</ul>"),
                    ListStyle::Numbers => ("<ol>", "</ol>"),
                    ListStyle::Letters => ("<ol type=\"a\">", "</ol>"),
                };
                html.push_str(open);
                for item in items {
                    html.push_str(&format!("<li>{}</li>", inline(item)));
                }
                html.push_str(close);
                html.push('\n');
            }
        }
    }
    html
}

fn parse_block(block: &str) -> Block {
    if let Some(heading) = block.strip_prefix("## ") {
        return Block::Heading(parse_inline(heading.trim()));
    }
    let lines: Vec<&str> = block.lines().map(str::trim).collect();
    for style in [ListStyle::Bullets, ListStyle::Numbers, ListStyle::Letters] {
        let items: Option<Vec<_>> = lines.iter().map(|line| list_item(line, style)).collect();
        if let Some(items) = items {
            return Block::List {
                style,
                items: items.into_iter().map(parse_inline).collect(),
            };
        }
    }
    Block::Paragraph(parse_inline(&lines.join(" ")))
}

/// The text of `line` as an item of a list in `style`, or `None` when it is not one.
fn list_item(line: &str, style: ListStyle) -> Option<&str> {
    match style {
        ListStyle::Bullets => line.strip_prefix("- "),
        ListStyle::Numbers => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0)
                .then(|| line[digits..].strip_prefix(". "))
                .flatten()
        }
        ListStyle::Letters => {
            let mut chars = line.chars();
            chars
                .next()
                .filter(char::is_ascii_lowercase)
                .and_then(|_| chars.as_str().strip_prefix(". "))
        }
    }
}

fn parse_inline(text: &str) -> Vec<Inline> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let strong = rest.find("**");
        let placeholder = rest.find("{{");
        let next = match (strong, placeholder) {
            (Some(s), Some(p)) => Some(s.min(p)),
            (s, p) => s.or(p),
        };
        let Some(start) = next else {
            parts.push(Inline::Text(rest.to_string()));
            break;
        };
        let (marker, close) = if rest[start..].starts_with("**") {
            ("**", "**")
        } else {
            ("{{", "}}")
        };
        let inner_start = start + marker.len();
        let Some(inner_len) = rest[inner_start..].find(close) else {
            parts.push(Inline::Text(rest.to_string()));
            break;
        };
        if start > 0 {
            parts.push(Inline::Text(rest[..start].to_string()));
        }
        let inner = &rest[inner_start..inner_start + inner_len];
        parts.push(if marker == "**" {
            Inline::Strong(inner.to_string())
        } else {
            let (key, label) = match inner.split_once('|') {
                Some((key, label)) => (key, Some(label.to_string())),
                None => (inner, None),
            };
            Inline::Placeholder {
                key: key.to_string(),
                label,
            }
        });
        rest = &rest[inner_start + inner_len + close.len()..];
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_placeholders_filled() {
        let html = to_html(
            "## Satıcı\n\n{{satici.unvan}} <b> **önemli**\n\n- {{x|etiket}}",
            |key| (key == "satici.unvan").then(|| "A & B".to_string()),
        );
        assert_eq!(
            html,
            "<h2>Satıcı</h2>\n<p>A &amp; B &lt;b&gt; <strong>önemli</strong></p>\n<ul><li>[etiket]</li></ul>\n"
        );
    }

    #[test]
    fn headings_lists_and_paragraphs_become_structure() {
        let blocks = parse(
            "Giriş\nikinci satır.\n\n## Başlık\n\n- bir,\n- iki\n\n1. birinci\n2. ikinci\n\na. a şıkkı\nb. b şıkkı",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![Inline::Text("Giriş ikinci satır.".into())]),
                Block::Heading(vec![Inline::Text("Başlık".into())]),
                Block::List {
                    style: ListStyle::Bullets,
                    items: vec![
                        vec![Inline::Text("bir,".into())],
                        vec![Inline::Text("iki".into())]
                    ]
                },
                Block::List {
                    style: ListStyle::Numbers,
                    items: vec![
                        vec![Inline::Text("birinci".into())],
                        vec![Inline::Text("ikinci".into())]
                    ]
                },
                Block::List {
                    style: ListStyle::Letters,
                    items: vec![
                        vec![Inline::Text("a şıkkı".into())],
                        vec![Inline::Text("b şıkkı".into())]
                    ]
                },
            ]
        );
    }

    #[test]
    fn strong_text_and_placeholders_are_found() {
        assert_eq!(
            parse_inline("**Satıcı:** {{satici.unvan}}, toplam {{siparis.toplam|KDV dahil}}."),
            vec![
                Inline::Strong("Satıcı:".into()),
                Inline::Text(" ".into()),
                Inline::Placeholder {
                    key: "satici.unvan".into(),
                    label: None
                },
                Inline::Text(", toplam ".into()),
                Inline::Placeholder {
                    key: "siparis.toplam".into(),
                    label: Some("KDV dahil".into())
                },
                Inline::Text(".".into()),
            ]
        );
        assert_eq!(
            parse_inline("yarım {{kalmış"),
            vec![Inline::Text("yarım {{kalmış".into())]
        );
    }

    #[test]
    fn the_privacy_notice_keeps_its_sections_and_lists() {
        let blocks = parse(LegalDocument::Privacy.source(Locale::Tr));
        let headings = blocks
            .iter()
            .filter(|b| matches!(b, Block::Heading(_)))
            .count();
        assert_eq!(headings, 7);
        let numbered = blocks.iter().find_map(|b| match b {
            Block::List {
                style: ListStyle::Numbers,
                items,
            } => Some(items.len()),
            _ => None,
        });
        assert_eq!(numbered, Some(8), "the eight KVKK rights");
        // Every document of both languages parses to something, with known placeholders only.
        for document in [
            LegalDocument::Privacy,
            LegalDocument::Kvkk,
            LegalDocument::DistanceSales,
            LegalDocument::PreContract,
            LegalDocument::Returns,
        ] {
            for locale in Locale::ALL {
                let blocks = parse(document.source(locale));
                assert!(blocks.len() > 5, "{document:?} {locale:?}");
                let seller = crate::model::brand::SellerIdentity::default();
                for block in &blocks {
                    let inlines: Vec<&Inline> = match block {
                        Block::Heading(i) | Block::Paragraph(i) => i.iter().collect(),
                        Block::List { items, .. } => items.iter().flatten().collect(),
                    };
                    for inline in inlines {
                        if let Inline::Placeholder { key, label } = inline {
                            match key.split_once('.') {
                                Some(("satici", field)) => {
                                    assert!(seller.field(field).is_some(), "{key}")
                                }
                                Some(("siparis", _)) => assert!(label.is_some(), "{key}"),
                                _ => panic!("unknown placeholder {key} in {document:?}"),
                            }
                        }
                    }
                }
            }
        }
    }
}
