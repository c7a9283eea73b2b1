//! Turkish addresses as the checkout takes them: one of the 81 provinces (il) by its plate code,
//! one of its districts (ilçe), and a five-digit postcode whose first two digits are the
//! province's plate code (PTT numbers them so). The list is `app/data/tr-provinces.json`, from
//! PTT's postcode list (the file names its source; `scripts/provinces.py` writes it).

use std::sync::LazyLock;

use serde::Deserialize;

/// A province: its plate code (`"34"`), name (`"İstanbul"`) and districts in Turkish
/// alphabetical order.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Province {
    pub code: String,
    pub name: String,
    pub districts: Vec<String>,
}

impl Province {
    /// Whether `name` is one of this province's districts, exactly as listed.
    pub fn has_district(&self, name: &str) -> bool {
        self.districts.iter().any(|district| district == name)
    }
}

#[derive(Deserialize)]
struct ProvinceList {
    provinces: Vec<Province>,
}

static PROVINCES: LazyLock<Vec<Province>> = LazyLock::new(|| {
    serde_json::from_str::<ProvinceList>(include_str!("../../data/tr-provinces.json"))
        .expect("app/data/tr-provinces.json is the list scripts/provinces.py writes")
        .provinces
});

/// The 81 provinces, by plate code.
pub fn provinces() -> &'static [Province] {
    &PROVINCES
}

/// The province with plate code `code` (`"06"`), if there is one.
pub fn province(code: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|province| province.code == code)
}

/// Whether `postcode` is five digits starting with `province`'s plate code.
pub fn is_postcode_of(postcode: &str, province: &Province) -> bool {
    postcode.len() == 5
        && postcode.bytes().all(|b| b.is_ascii_digit())
        && postcode.starts_with(&province.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_81_provinces_and_973_districts_are_there() {
        assert_eq!(provinces().len(), 81);
        let districts: usize = provinces().iter().map(|p| p.districts.len()).sum();
        assert_eq!(districts, 973);
        for (index, province) in provinces().iter().enumerate() {
            assert_eq!(
                province.code,
                format!("{:02}", index + 1),
                "plate codes 01 to 81"
            );
            assert!(!province.districts.is_empty(), "{}", province.name);
        }
        assert_eq!(province("34").unwrap().name, "İstanbul");
        assert_eq!(province("34").unwrap().districts.len(), 39);
        assert_eq!(province("06").unwrap().name, "Ankara");
        assert_eq!(province("81").unwrap().name, "Düzce");
        assert!(province("82").is_none() && province("00").is_none());
    }

    #[test]
    fn districts_belong_to_their_province() {
        let istanbul = province("34").unwrap();
        assert!(istanbul.has_district("Kadıköy"));
        assert!(istanbul.has_district("Beşiktaş"));
        assert!(!istanbul.has_district("Çankaya"));
        assert!(province("06").unwrap().has_district("Çankaya"));
        assert!(!istanbul.has_district("kadıköy"), "exactly as listed");
    }

    #[test]
    fn a_postcode_starts_with_its_plate_code() {
        let istanbul = province("34").unwrap();
        assert!(is_postcode_of("34710", istanbul));
        assert!(!is_postcode_of("06100", istanbul));
        assert!(!is_postcode_of("3471", istanbul));
        assert!(!is_postcode_of("34 71", istanbul));
        assert!(!is_postcode_of("347100", istanbul));
    }
}
