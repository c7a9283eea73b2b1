//! Facts about the brand that every page shows, and the seller's legal identity (configuration:
//! `LESMINORIA_SELLER_*`), which the law requires on the contact page, in the footer and in
//! every distance-sales contract.

/// The shop's public name as it appears in titles and the header.
pub const BRAND_NAME: &str = "Les Minoria";

/// The one address the privacy notice gives for questions, complaints and KVKK requests.
pub const CONTACT_EMAIL: &str = "hello@lesminoria.com";

/// Who sells: what the Distance Contracts Regulation (Art. 5) and the e-commerce law ask every
/// shop to show (trade name, MERSİS number, address, telephone, KEP address, e-mail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerIdentity {
    /// Ticaret unvanı.
    pub trade_name: String,
    /// MERSİS numarası (16 digits).
    pub mersis: String,
    pub address: String,
    pub phone: String,
    /// Kayıtlı elektronik posta (KEP) address.
    pub kep: String,
    pub email: String,
    /// Where havale/EFT payments go: the bank and the IBAN (`TR` and 24 digits).
    pub bank_name: String,
    pub iban: String,
}

impl Default for SellerIdentity {
    /// The demo shop's identity. A real deployment sets every `LESMINORIA_SELLER_*` variable.
    fn default() -> Self {
        Self {
            trade_name: "Les Minoria Tekstil ve Moda Ticaret Limited Şirketi".into(),
            mersis: "0123456789000015".into(),
            address: "Bağdat Caddesi No: 1, 34728 Kadıköy / İstanbul".into(),
            phone: "+90 216 000 00 00".into(),
            kep: "lesminoria@hs01.kep.tr".into(),
            email: CONTACT_EMAIL.into(),
            bank_name: "Örnek Bankası".into(),
            iban: "TR33 0006 1005 1978 6457 8413 26".into(),
        }
    }
}

impl SellerIdentity {
    /// The value of a `{{satici.*}}` placeholder in the legal texts.
    pub fn field(&self, name: &str) -> Option<&str> {
        Some(match name {
            "unvan" => &self.trade_name,
            "mersis" => &self.mersis,
            "adres" => &self.address,
            "telefon" => &self.phone,
            "kep" => &self.kep,
            "eposta" => &self.email,
            _ => return None,
        })
    }
}
