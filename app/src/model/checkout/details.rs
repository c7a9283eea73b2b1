//! The first step: who orders (e-mail, mobile phone), where it goes (a Turkish address), and who
//! the invoice names (a person with an optional T.C. kimlik no, or a company with its VKN and
//! vergi dairesi) at which address.

use serde::{Deserialize, Serialize};

use crate::model::address::{is_postcode_of, province};
use crate::model::contact::{is_plausible_email, EMAIL_MAX_CHARS};
use crate::model::form::{Draft, FieldProblem, FormField};
use crate::model::phone::normalise_mobile;
use crate::model::tax_id::{is_tc_kimlik_no, is_vkn};

/// A delivery or invoice address in Turkey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub first_name: String,
    pub last_name: String,
    /// The province's plate code (`"34"`).
    pub province_code: String,
    pub district: String,
    /// Mahalle, street, building and flat, as typed.
    pub line: String,
    pub postcode: String,
}

impl Address {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn province_name(&self) -> &str {
        province(&self.province_code).map_or("", |province| province.name.as_str())
    }

    /// The address on one line, as contracts and e-mails print it.
    pub fn one_line(&self) -> String {
        format!(
            "{}, {} {} / {}",
            self.line,
            self.postcode,
            self.district,
            self.province_name()
        )
    }
}

/// Checks an address's six fields of any form (first and last name, province, district, line,
/// postcode, in that order; `value` reads what was typed in each), reporting each problem.
pub fn check_address<'a, F: Copy>(
    [first, last, province_field, district, line, postcode]: [F; 6],
    value: impl Fn(F) -> &'a str,
    problem: &mut impl FnMut(F, &'static str),
) -> Option<Address> {
    let text = |field| value(field).trim().to_string();
    let mut fine = true;
    for field in [first, last] {
        let name = text(field);
        if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
            problem(field, "checkout.error.name");
            fine = false;
        }
    }
    let found = province(&text(province_field));
    match found {
        None => {
            problem(province_field, "checkout.error.province");
            fine = false;
        }
        Some(found) if !found.has_district(&text(district)) => {
            problem(district, "checkout.error.district");
            fine = false;
        }
        Some(_) => {}
    }
    let address_line = text(line);
    if address_line.chars().count() < 10 || address_line.chars().count() > LINE_MAX_CHARS {
        problem(line, "checkout.error.address_line");
        fine = false;
    }
    let code = text(postcode);
    if let Some(found) = found {
        if !is_postcode_of(&code, found) {
            problem(postcode, "checkout.error.postcode");
            fine = false;
        }
    }
    fine.then(|| Address {
        first_name: text(first),
        last_name: text(last),
        province_code: text(province_field),
        district: text(district),
        line: address_line,
        postcode: code,
    })
}

/// Who the invoice names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvoiceParty {
    /// Bireysel: the invoice address's person, with a T.C. kimlik no when they gave one.
    Individual { tc_kimlik_no: Option<String> },
    /// Kurumsal.
    Corporate {
        company: String,
        vkn: String,
        tax_office: String,
    },
}

/// What the first step accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutDetails {
    pub email: String,
    /// `+905XXXXXXXXX`.
    pub phone: String,
    pub delivery: Address,
    /// `None`: the invoice goes to the delivery address.
    pub invoice_address: Option<Address>,
    pub invoice: InvoiceParty,
}

impl CheckoutDetails {
    pub fn invoice_address(&self) -> &Address {
        self.invoice_address.as_ref().unwrap_or(&self.delivery)
    }
}

/// The first step's fields by their names in the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetailsField {
    Email,
    Phone,
    FirstName,
    LastName,
    Province,
    District,
    Line,
    Postcode,
    /// `teslimat` (the delivery address) or `baska` (another one, below).
    InvoiceAddress,
    InvoiceFirstName,
    InvoiceLastName,
    InvoiceProvince,
    InvoiceDistrict,
    InvoiceLine,
    InvoicePostcode,
    /// `bireysel` or `kurumsal`.
    InvoiceKind,
    TcKimlikNo,
    Company,
    Vkn,
    TaxOffice,
}

pub const NAME_MAX_CHARS: usize = 60;
pub const LINE_MAX_CHARS: usize = 250;
pub const COMPANY_MAX_CHARS: usize = 150;
pub const TAX_OFFICE_MAX_CHARS: usize = 80;
/// The radio values of [`DetailsField::InvoiceAddress`].
pub const INVOICE_TO_DELIVERY: &str = "teslimat";
pub const INVOICE_TO_OTHER: &str = "baska";
/// The radio values of [`DetailsField::InvoiceKind`].
pub const INVOICE_INDIVIDUAL: &str = "bireysel";
pub const INVOICE_CORPORATE: &str = "kurumsal";

impl FormField for DetailsField {
    const ALL: &'static [Self] = &[
        Self::Email,
        Self::Phone,
        Self::FirstName,
        Self::LastName,
        Self::Province,
        Self::District,
        Self::Line,
        Self::Postcode,
        Self::InvoiceAddress,
        Self::InvoiceFirstName,
        Self::InvoiceLastName,
        Self::InvoiceProvince,
        Self::InvoiceDistrict,
        Self::InvoiceLine,
        Self::InvoicePostcode,
        Self::InvoiceKind,
        Self::TcKimlikNo,
        Self::Company,
        Self::Vkn,
        Self::TaxOffice,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Email => "eposta",
            Self::Phone => "telefon",
            Self::FirstName => "ad",
            Self::LastName => "soyad",
            Self::Province => "il",
            Self::District => "ilce",
            Self::Line => "adres",
            Self::Postcode => "posta_kodu",
            Self::InvoiceAddress => "fatura_adresi",
            Self::InvoiceFirstName => "fatura_ad",
            Self::InvoiceLastName => "fatura_soyad",
            Self::InvoiceProvince => "fatura_il",
            Self::InvoiceDistrict => "fatura_ilce",
            Self::InvoiceLine => "fatura_adres",
            Self::InvoicePostcode => "fatura_posta_kodu",
            Self::InvoiceKind => "fatura_tipi",
            Self::TcKimlikNo => "tckn",
            Self::Company => "firma",
            Self::Vkn => "vkn",
            Self::TaxOffice => "vergi_dairesi",
        }
    }

    fn max_chars(self) -> usize {
        match self {
            Self::Email => EMAIL_MAX_CHARS + 20,
            Self::Line | Self::InvoiceLine => LINE_MAX_CHARS + 20,
            Self::Company => COMPANY_MAX_CHARS + 20,
            Self::TaxOffice => TAX_OFFICE_MAX_CHARS + 20,
            Self::District | Self::InvoiceDistrict => 60,
            _ => NAME_MAX_CHARS + 20,
        }
    }
}

/// The first step as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DetailsDraft {
    values: [String; 20],
}

fn index(field: DetailsField) -> usize {
    DetailsField::ALL
        .iter()
        .position(|f| *f == field)
        .expect("every field is in ALL")
}

impl Draft for DetailsDraft {
    type Field = DetailsField;
    type Accepted = CheckoutDetails;

    fn slot(&mut self, field: DetailsField) -> &mut String {
        &mut self.values[index(field)]
    }

    fn value(&self, field: DetailsField) -> &str {
        &self.values[index(field)]
    }

    fn validate(&self) -> Result<CheckoutDetails, Vec<FieldProblem<DetailsField>>> {
        use DetailsField as F;
        let mut problems = Vec::new();
        let mut problem = |field, message_key| problems.push(FieldProblem { field, message_key });
        let text = |field| self.value(field).trim().to_string();

        let email = text(F::Email);
        if !is_plausible_email(&email) {
            problem(F::Email, "checkout.error.email");
        }
        let phone = normalise_mobile(self.value(F::Phone));
        if phone.is_none() {
            problem(F::Phone, "checkout.error.phone");
        }
        let delivery = self.address(
            [
                F::FirstName,
                F::LastName,
                F::Province,
                F::District,
                F::Line,
                F::Postcode,
            ],
            &mut problem,
        );
        let invoice_address = match self.value(F::InvoiceAddress) {
            "" | INVOICE_TO_DELIVERY => None,
            _ => Some(self.address(
                [
                    F::InvoiceFirstName,
                    F::InvoiceLastName,
                    F::InvoiceProvince,
                    F::InvoiceDistrict,
                    F::InvoiceLine,
                    F::InvoicePostcode,
                ],
                &mut problem,
            )),
        };
        let invoice = if self.value(F::InvoiceKind) == INVOICE_CORPORATE {
            let company = text(F::Company);
            if company.is_empty() || company.chars().count() > COMPANY_MAX_CHARS {
                problem(F::Company, "checkout.error.company");
            }
            let vkn: String = text(F::Vkn)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !is_vkn(&vkn) {
                problem(F::Vkn, "checkout.error.vkn");
            }
            let tax_office = text(F::TaxOffice);
            if tax_office.is_empty() || tax_office.chars().count() > TAX_OFFICE_MAX_CHARS {
                problem(F::TaxOffice, "checkout.error.tax_office");
            }
            InvoiceParty::Corporate {
                company,
                vkn,
                tax_office,
            }
        } else {
            let tc: String = text(F::TcKimlikNo)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if !tc.is_empty() && !is_tc_kimlik_no(&tc) {
                problem(F::TcKimlikNo, "checkout.error.tc_kimlik_no");
            }
            InvoiceParty::Individual {
                tc_kimlik_no: (!tc.is_empty()).then_some(tc),
            }
        };
        match (problems.is_empty(), delivery, invoice_address, phone) {
            (true, Some(delivery), invoice_address, Some(phone)) => Ok(CheckoutDetails {
                email,
                phone,
                delivery,
                invoice_address: invoice_address.flatten(),
                invoice,
            }),
            _ => Err(problems),
        }
    }
}

impl DetailsDraft {
    /// Checks one address's six fields (names, province, district, line, postcode).
    fn address(
        &self,
        fields: [DetailsField; 6],
        problem: &mut impl FnMut(DetailsField, &'static str),
    ) -> Option<Address> {
        check_address(fields, |field| self.value(field), problem)
    }

    /// The form for a member: what was accepted before (if anything), their e-mail and phone
    /// where it has none, and `address` as the delivery address when given.
    pub fn for_member(
        accepted: Option<&CheckoutDetails>,
        email: &str,
        phone: Option<&str>,
        address: Option<&Address>,
    ) -> Self {
        use DetailsField as F;
        let mut draft = accepted.map(Self::from_accepted).unwrap_or_default();
        if draft.value(F::Email).is_empty() {
            *draft.slot(F::Email) = email.to_string();
        }
        if draft.value(F::Phone).is_empty() {
            *draft.slot(F::Phone) = phone.unwrap_or_default().to_string();
        }
        if let Some(address) = address {
            let fields = [
                F::FirstName,
                F::LastName,
                F::Province,
                F::District,
                F::Line,
                F::Postcode,
            ];
            let values = [
                &address.first_name,
                &address.last_name,
                &address.province_code,
                &address.district,
                &address.line,
                &address.postcode,
            ];
            for (field, value) in fields.into_iter().zip(values) {
                *draft.slot(field) = value.clone();
            }
        }
        draft
    }

    /// The form filled with what was accepted before (going back to the step).
    pub fn from_accepted(details: &CheckoutDetails) -> Self {
        use DetailsField as F;
        let mut draft = Self::default();
        let mut set = |field, value: &str| *draft.slot(field) = value.to_string();
        set(F::Email, &details.email);
        set(F::Phone, &details.phone);
        let fill = |set: &mut dyn FnMut(DetailsField, &str),
                    address: &Address,
                    fields: [DetailsField; 6]| {
            set(fields[0], &address.first_name);
            set(fields[1], &address.last_name);
            set(fields[2], &address.province_code);
            set(fields[3], &address.district);
            set(fields[4], &address.line);
            set(fields[5], &address.postcode);
        };
        fill(
            &mut set,
            &details.delivery,
            [
                F::FirstName,
                F::LastName,
                F::Province,
                F::District,
                F::Line,
                F::Postcode,
            ],
        );
        match &details.invoice_address {
            None => set(F::InvoiceAddress, INVOICE_TO_DELIVERY),
            Some(address) => {
                set(F::InvoiceAddress, INVOICE_TO_OTHER);
                fill(
                    &mut set,
                    address,
                    [
                        F::InvoiceFirstName,
                        F::InvoiceLastName,
                        F::InvoiceProvince,
                        F::InvoiceDistrict,
                        F::InvoiceLine,
                        F::InvoicePostcode,
                    ],
                );
            }
        }
        match &details.invoice {
            InvoiceParty::Individual { tc_kimlik_no } => {
                set(F::InvoiceKind, INVOICE_INDIVIDUAL);
                set(F::TcKimlikNo, tc_kimlik_no.as_deref().unwrap_or(""));
            }
            InvoiceParty::Corporate {
                company,
                vkn,
                tax_office,
            } => {
                set(F::InvoiceKind, INVOICE_CORPORATE);
                set(F::Company, company);
                set(F::Vkn, vkn);
                set(F::TaxOffice, tax_office);
            }
        }
        draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DetailsField as F;

    pub(crate) fn good() -> DetailsDraft {
        DetailsDraft::from_fields([
            ("eposta", " ayse@example.com "),
            ("telefon", "0532 123 45 67"),
            ("ad", "Ayşe"),
            ("soyad", "Yılmaz"),
            ("il", "34"),
            ("ilce", "Kadıköy"),
            ("adres", "Caferağa Mah. Moda Cad. No: 10 D: 3"),
            ("posta_kodu", "34710"),
        ])
    }

    #[test]
    fn a_guest_with_one_address_is_accepted_and_the_phone_normalised() {
        let details = good().validate().unwrap();
        assert_eq!(details.email, "ayse@example.com");
        assert_eq!(details.phone, "+905321234567");
        assert_eq!(details.delivery.province_name(), "İstanbul");
        assert_eq!(details.invoice_address(), &details.delivery);
        assert_eq!(
            details.invoice,
            InvoiceParty::Individual { tc_kimlik_no: None }
        );
        // Going back shows the same answers, which are accepted again unchanged.
        assert_eq!(
            DetailsDraft::from_accepted(&details).validate().unwrap(),
            details
        );
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let mut draft = good();
        *draft.slot(F::Email) = "ayse@".into();
        *draft.slot(F::Phone) = "0212 123 45 67".into(); // a landline
        *draft.slot(F::District) = "Çankaya".into(); // in Ankara, not İstanbul
        *draft.slot(F::Postcode) = "06100".into();
        *draft.slot(F::TcKimlikNo) = "12345678901".into();
        let problems = draft.validate().unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [F::Email, F::Phone, F::District, F::Postcode, F::TcKimlikNo]
        );
    }

    #[test]
    fn a_company_invoice_to_another_address() {
        let mut draft = good();
        for (field, value) in [
            (F::InvoiceAddress, INVOICE_TO_OTHER),
            (F::InvoiceFirstName, "Mehmet"),
            (F::InvoiceLastName, "Kaya"),
            (F::InvoiceProvince, "06"),
            (F::InvoiceDistrict, "Çankaya"),
            (F::InvoiceLine, "Kızılay Mah. Atatürk Blv. No: 5"),
            (F::InvoicePostcode, "06420"),
            (F::InvoiceKind, INVOICE_CORPORATE),
            (F::Company, "Kaya Tekstil A.Ş."),
            (F::Vkn, "123 456 7890"),
            (F::TaxOffice, "Çankaya"),
        ] {
            *draft.slot(field) = value.into();
        }
        let details = draft.validate().unwrap();
        assert_eq!(details.invoice_address().province_name(), "Ankara");
        assert_eq!(
            details.invoice,
            InvoiceParty::Corporate {
                company: "Kaya Tekstil A.Ş.".into(),
                vkn: "1234567890".into(),
                tax_office: "Çankaya".into()
            }
        );
        assert_eq!(
            DetailsDraft::from_accepted(&details).validate().unwrap(),
            details
        );

        *draft.slot(F::Vkn) = "12345".into();
        *draft.slot(F::InvoicePostcode) = "34000".into();
        let fields: Vec<_> = draft
            .validate()
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, [F::InvoicePostcode, F::Vkn]);
    }

    #[test]
    fn a_valid_tc_kimlik_no_is_kept() {
        let mut draft = good();
        *draft.slot(F::TcKimlikNo) = "10000000146".into();
        assert_eq!(
            draft.validate().unwrap().invoice,
            InvoiceParty::Individual {
                tc_kimlik_no: Some("10000000146".into())
            }
        );
    }
}
