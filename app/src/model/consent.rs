//! The visitor's cookie choice: which purposes beyond the strictly necessary they allowed, under
//! which version of the cookie policy. Turkish guidance on cookies (KVKK, 2022) asks for a choice
//! per purpose, refusing as easy as accepting, nothing but strictly necessary storage before a
//! choice, and proof of what was chosen (the consent ledger, `backend::consent`).
//!
//! The choice travels in one first-party cookie, itself strictly necessary:
//! `{policy version}:{functional}{analytics}{marketing}:{visitor id}`, e.g.
//! `2026-11-26:100:3f2a…`. The visitor id is random and anonymous; it ties the visitor's ledger
//! rows together.

/// The consent cookie's name.
pub const CONSENT_COOKIE: &str = "lm_cerez";

/// How long a choice is kept before the visitor is asked again (one year, as the guidance
/// advises at most).
pub const CONSENT_MAX_AGE_SECONDS: i64 = 365 * 24 * 60 * 60;

/// The version of the cookie policy a choice answers. Changing the policy's text or the
/// purposes means a new version, and every visitor is asked again.
pub const COOKIE_POLICY_VERSION: &str = "2026-11-26";

/// The purposes a visitor may allow or refuse. Strictly necessary storage (the consent cookie,
/// the cart, the session) needs no consent and is always on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentCategory {
    /// Zorunlu: always on, explained.
    Necessary,
    /// İşlevsel: personalisation, such as recently viewed products.
    Functional,
    /// Analitik: visit statistics.
    Analytics,
    /// Pazarlama: advertising and third-party pixels.
    Marketing,
}

impl ConsentCategory {
    pub const ALL: [ConsentCategory; 4] = [
        Self::Necessary,
        Self::Functional,
        Self::Analytics,
        Self::Marketing,
    ];
    /// The categories a visitor chooses (every one but the strictly necessary).
    pub const OPTIONAL: [ConsentCategory; 3] = [Self::Functional, Self::Analytics, Self::Marketing];

    /// The name of the category's switch in the cookie form (also its key in the strings).
    pub fn field(self) -> &'static str {
        match self {
            Self::Necessary => "zorunlu",
            Self::Functional => "islevsel",
            Self::Analytics => "analitik",
            Self::Marketing => "pazarlama",
        }
    }
}

/// What the visitor allowed beyond the strictly necessary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ConsentChoice {
    pub functional: bool,
    pub analytics: bool,
    pub marketing: bool,
}

impl ConsentChoice {
    pub const ALL: ConsentChoice = ConsentChoice {
        functional: true,
        analytics: true,
        marketing: true,
    };
    pub const NONE: ConsentChoice = ConsentChoice {
        functional: false,
        analytics: false,
        marketing: false,
    };

    pub fn allows(self, category: ConsentCategory) -> bool {
        match category {
            ConsentCategory::Necessary => true,
            ConsentCategory::Functional => self.functional,
            ConsentCategory::Analytics => self.analytics,
            ConsentCategory::Marketing => self.marketing,
        }
    }

    /// Three digits, functional-analytics-marketing: `100` allows functional only.
    pub fn bits(self) -> String {
        [self.functional, self.analytics, self.marketing]
            .iter()
            .map(|on| if *on { '1' } else { '0' })
            .collect()
    }

    pub fn from_bits(bits: &str) -> Option<Self> {
        let flags: Vec<bool> = bits
            .chars()
            .map(|c| match c {
                '1' => Some(true),
                '0' => Some(false),
                _ => None,
            })
            .collect::<Option<_>>()?;
        match flags[..] {
            [functional, analytics, marketing] => Some(Self {
                functional,
                analytics,
                marketing,
            }),
            _ => None,
        }
    }
}

/// The button the visitor pressed: each is recorded as such in the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentAction {
    /// "Kabul ediyorum": every category.
    AcceptAll,
    /// "Reddet": strictly necessary only.
    RejectAll,
    /// "Seçimlerimi kaydet" under "Tercihler": the switches as set.
    Custom,
}

impl ConsentAction {
    /// The value of the pressed button (`secim`) and of the ledger's `action` column.
    pub fn code(self) -> &'static str {
        match self {
            Self::AcceptAll => "kabul",
            Self::RejectAll => "red",
            Self::Custom => "tercih",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "kabul" => Some(Self::AcceptAll),
            "red" => Some(Self::RejectAll),
            "tercih" => Some(Self::Custom),
            _ => None,
        }
    }

    /// The choice this action makes, given the switches (which count only for `Custom`).
    pub fn choice(self, switches: ConsentChoice) -> ConsentChoice {
        match self {
            Self::AcceptAll => ConsentChoice::ALL,
            Self::RejectAll => ConsentChoice::NONE,
            Self::Custom => switches,
        }
    }
}

/// The consent cookie's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentCookie {
    pub policy_version: String,
    pub choice: ConsentChoice,
    pub visitor_id: String,
}

impl ConsentCookie {
    pub fn encode(&self) -> String {
        format!(
            "{}:{}:{}",
            self.policy_version,
            self.choice.bits(),
            self.visitor_id
        )
    }

    /// `None` for anything this shop did not write: the visitor is then asked afresh.
    pub fn decode(value: &str) -> Option<Self> {
        let mut parts = value.split(':');
        let policy_version = parts.next()?;
        let choice = ConsentChoice::from_bits(parts.next()?)?;
        let visitor_id = parts.next()?;
        let valid_version = !policy_version.is_empty()
            && policy_version.len() <= 32
            && policy_version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        (parts.next().is_none() && valid_version && is_visitor_id(visitor_id)).then(|| Self {
            policy_version: policy_version.to_string(),
            choice,
            visitor_id: visitor_id.to_string(),
        })
    }
}

/// 32 lowercase hex digits (128 random bits).
pub fn is_visitor_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The localStorage key of the cart (strictly necessary: the shopper put things in it).
pub const CART_STORAGE_KEY: &str = "lesminoria.sepet";
/// The localStorage key of recently viewed products (İşlevsel: only with consent).
pub const RECENTLY_VIEWED_STORAGE_KEY: &str = "lesminoria.son-bakilanlar";

/// Where something is kept in the browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKind {
    Cookie,
    LocalStorage,
}

/// One thing the shop keeps in the visitor's browser: the privacy page's table lists exactly
/// these, and the browser tests check that nothing else appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageEntry {
    pub name: &'static str,
    pub kind: StorageKind,
    pub category: ConsentCategory,
    /// Keys of the purpose and the lifetime among the interface strings.
    pub purpose_key: &'static str,
    pub lifetime_key: &'static str,
}

pub const BROWSER_STORAGE: [StorageEntry; 3] = [
    StorageEntry {
        name: CONSENT_COOKIE,
        kind: StorageKind::Cookie,
        category: ConsentCategory::Necessary,
        purpose_key: "storage.consent_purpose",
        lifetime_key: "storage.one_year",
    },
    StorageEntry {
        name: CART_STORAGE_KEY,
        kind: StorageKind::LocalStorage,
        category: ConsentCategory::Necessary,
        purpose_key: "storage.cart_purpose",
        lifetime_key: "storage.until_cleared",
    },
    StorageEntry {
        name: RECENTLY_VIEWED_STORAGE_KEY,
        kind: StorageKind::LocalStorage,
        category: ConsentCategory::Functional,
        purpose_key: "storage.recent_purpose",
        lifetime_key: "storage.until_withdrawn",
    },
];

/// Where a visitor stands with the current policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsentState {
    /// No valid choice, or one made under an older policy version: the banner asks.
    Unasked,
    /// A choice made under the current version.
    Chosen(ConsentChoice),
}

impl ConsentState {
    /// The state of a visitor sending `cookie` (the consent cookie's value, if any).
    pub fn of(cookie: Option<&str>, current_version: &str) -> Self {
        match cookie.and_then(ConsentCookie::decode) {
            Some(cookie) if cookie.policy_version == current_version => Self::Chosen(cookie.choice),
            _ => Self::Unasked,
        }
    }

    /// What is allowed now: before a choice, only the strictly necessary.
    pub fn choice(&self) -> ConsentChoice {
        match self {
            Self::Unasked => ConsentChoice::NONE,
            Self::Chosen(choice) => *choice,
        }
    }

    /// The state named by [`ConsentState::token`] (what the page carries in `data-cerez`).
    pub fn from_token(token: &str) -> Self {
        ConsentChoice::from_bits(token).map_or(Self::Unasked, Self::Chosen)
    }

    /// A short token naming the state, for the page cache key and the page's `data-cerez`
    /// attribute: `yok` before a choice, else the bits.
    pub fn token(&self) -> String {
        match self {
            Self::Unasked => "yok".to_string(),
            Self::Chosen(choice) => choice.bits(),
        }
    }
}

/// The consent cookie's value among all of a request's `Cookie` headers (HTTP/2 clients may
/// send several).
pub fn consent_cookie_in<'a>(headers: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    headers
        .into_iter()
        .find_map(|header| cookie_value(header, CONSENT_COOKIE))
}

/// The value of cookie `name` in a `Cookie` request header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value.trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISITOR: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn the_cookie_round_trips_and_rejects_what_we_did_not_write() {
        let cookie = ConsentCookie {
            policy_version: COOKIE_POLICY_VERSION.into(),
            choice: ConsentChoice {
                functional: true,
                analytics: false,
                marketing: false,
            },
            visitor_id: VISITOR.into(),
        };
        let encoded = cookie.encode();
        assert_eq!(encoded, format!("{COOKIE_POLICY_VERSION}:100:{VISITOR}"));
        assert_eq!(ConsentCookie::decode(&encoded), Some(cookie));
        for bad in [
            "",
            "2026-11-26:100",
            "2026-11-26:10:0123456789abcdef0123456789abcdef",
            "2026-11-26:102:0123456789abcdef0123456789abcdef",
            "2026-11-26:100:XYZ",
            "2026-11-26:100:0123456789abcdef0123456789abcdef:extra",
            "<script>:100:0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(ConsentCookie::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_choice_under_an_older_policy_asks_again() {
        let old = format!("2025-01-01:111:{VISITOR}");
        let current = format!("{COOKIE_POLICY_VERSION}:010:{VISITOR}");
        assert_eq!(
            ConsentState::of(Some(&old), COOKIE_POLICY_VERSION),
            ConsentState::Unasked
        );
        assert_eq!(
            ConsentState::of(None, COOKIE_POLICY_VERSION),
            ConsentState::Unasked
        );
        let state = ConsentState::of(Some(&current), COOKIE_POLICY_VERSION);
        assert!(state.choice().analytics && !state.choice().functional);
        assert_eq!(state.token(), "010");
        assert_eq!(ConsentState::Unasked.choice(), ConsentChoice::NONE);
    }

    #[test]
    fn actions_make_their_choice() {
        let switches = ConsentChoice {
            functional: true,
            ..ConsentChoice::NONE
        };
        assert_eq!(
            ConsentAction::AcceptAll.choice(switches),
            ConsentChoice::ALL
        );
        assert_eq!(
            ConsentAction::RejectAll.choice(ConsentChoice::ALL),
            ConsentChoice::NONE
        );
        assert_eq!(ConsentAction::Custom.choice(switches), switches);
        for action in [
            ConsentAction::AcceptAll,
            ConsentAction::RejectAll,
            ConsentAction::Custom,
        ] {
            assert_eq!(ConsentAction::from_code(action.code()), Some(action));
        }
        assert!(ConsentChoice::NONE.allows(ConsentCategory::Necessary));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let header = "a=1; lm_cerez=2026-11-26:000:x; b=\"2\"";
        assert_eq!(cookie_value(header, "lm_cerez"), Some("2026-11-26:000:x"));
        assert_eq!(cookie_value(header, "b"), Some("2"));
        assert_eq!(cookie_value(header, "lm"), None);
    }
}
