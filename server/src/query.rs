//! Reading a request's query string by the parameter names in `app::wire`, rather than through
//! a serde struct whose field names would be a second copy of them.

/// The first value of `name` in `query` (a URI's query string, without `?`).
pub fn value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_value_of_a_name_is_read_decoded() {
        let query = Some("dil=en&urunler=a%2Cb&dil=tr");
        assert_eq!(value(query, "dil").as_deref(), Some("en"));
        assert_eq!(value(query, "urunler").as_deref(), Some("a,b"));
        assert_eq!(value(query, "yok"), None);
        assert_eq!(value(None, "dil"), None);
    }
}
