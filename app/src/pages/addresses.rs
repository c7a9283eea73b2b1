//! Hesabım › Adreslerim and Kayıtlı kartlarım, the member's two books. Adreslerim: the member's addresses (the default first), each with "Düzenle",
//! "Varsayılan yap" and "Sil", and the form to add one or correct the one `?duzenle=` names.
//! Plain forms posted to this page (server/src/account_lists.rs).

use leptos::prelude::*;

use crate::components::form::{Field, FormNotice, FormView};
use crate::i18n::text;
use crate::model::account::{
    AddressBook, AddressDraft, AddressField, SavedAddress, SavedCards, EDIT_QUERY, TITLE_MAX_CHARS,
};
use crate::model::form::{Draft, Feedback, FormField};
use crate::model::{Locale, Page};
use crate::pages::account::{state_notice, AccountNav, PrivateMeta};
use crate::pages::checkout::AddressFields;
use crate::wire::account::{ACTION, ACTION_DEFAULT, ACTION_DELETE, ACTION_SAVE, CARD_TOKEN};

fn book_now() -> AddressBook {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<AddressBook>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        AddressBook::default()
    }
}

#[component]
pub fn AddressesPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.addresses");
    let book = book_now();
    // After a failed submit, the form as typed; otherwise the address being corrected, if any.
    let feedback = use_context::<Feedback<AddressDraft>>().unwrap_or_else(|| Feedback {
        draft: book
            .editing
            .as_ref()
            .map(AddressDraft::from_saved)
            .unwrap_or_default(),
        ..Feedback::default()
    });
    let cards = if book.addresses.is_empty() {
        view! { <p class="account__empty">{text(locale, "account.no_addresses")}</p> }.into_any()
    } else {
        let cards = book
            .addresses
            .into_iter()
            .map(|saved| view! { <AddressCard locale saved/> })
            .collect_view();
        view! { <ul class="address-list">{cards}</ul> }.into_any()
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account">
            <h1>{title}</h1>
            <AccountNav locale current=Page::Addresses/>
            {state_notice(locale, "addresses")}
            {cards}
            <AddressForm locale feedback/>
        </article>
    }
}

#[component]
fn AddressCard(locale: Locale, saved: SavedAddress) -> impl IntoView {
    let action = locale.path(&Page::Addresses);
    let edit = format!("{action}?{EDIT_QUERY}={}", saved.id);
    let id = saved.id.to_string();
    let name = if saved.title.is_empty() {
        saved.address.full_name()
    } else {
        format!("{} · {}", saved.title, saved.address.full_name())
    };
    let make_default = (!saved.is_default).then(|| {
        view! {
            <form method="post" action=action.clone()>
                <input type="hidden" name=ACTION value=ACTION_DEFAULT/>
                <input type="hidden" name=AddressField::Id.name() value=id.clone()/>
                <button type="submit" class="link-button">{text(locale, "account.make_default")}</button>
            </form>
        }
    });
    view! {
        <li class="address-card">
            <p>
                <strong>{name}</strong>
                {saved.is_default.then(|| view! { " " <span class="badge">{text(locale, "account.default_address")}</span> })}
            </p>
            <p>{saved.address.one_line()}</p>
            <div class="address-card__actions">
                <a href=edit>{text(locale, "account.edit")}</a>
                {make_default}
                <form method="post" action=action.clone()>
                    <input type="hidden" name=ACTION value=ACTION_DELETE/>
                    <input type="hidden" name=AddressField::Id.name() value=id/>
                    <button type="submit" class="link-button">{text(locale, "account.delete")}</button>
                </form>
            </div>
        </li>
    }
}

#[component]
fn AddressForm(locale: Locale, feedback: Feedback<AddressDraft>) -> impl IntoView {
    let editing = !feedback.draft.value(AddressField::Id).is_empty();
    let checked = !feedback.draft.value(AddressField::Default).is_empty();
    let form = FormView::new(locale, "adres", feedback);
    let id = form.field(AddressField::Id);
    let title_field = form.field(AddressField::Title);
    let fields = [
        AddressField::FirstName,
        AddressField::LastName,
        AddressField::Province,
        AddressField::District,
        AddressField::Line,
        AddressField::Postcode,
    ]
    .map(|field| form.field(field));
    let heading = text(
        locale,
        if editing {
            "account.edit_address"
        } else {
            "account.new_address"
        },
    );
    view! {
        <section aria-labelledby="adres-formu">
            <h2 id="adres-formu">{heading}</h2>
            <form class="account-form" method="post" action=locale.path(&Page::Addresses) novalidate>
                <input type="hidden" name=ACTION value=ACTION_SAVE/>
                <input type="hidden" name=id.name value=id.value.clone()/>
                <FormNotice message=form.general()/>
                <Field field=title_field.clone() label=text(locale, "account.address_title")>
                    <input id=title_field.id.clone() name=title_field.name type="text" maxlength=TITLE_MAX_CHARS
                        value=title_field.value.clone() {..title_field.aria()}/>
                </Field>
                <AddressFields locale fields section="shipping"/>
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" name=AddressField::Default.name() value="1" checked=checked/>
                        {text(locale, "account.use_as_default")}
                    </label>
                </div>
                <button type="submit" class="button">{text(locale, "account.save_address")}</button>
                {editing.then(|| view! {
                    " " <a href=locale.path(&Page::Addresses)>{text(locale, "account.cancel")}</a>
                })}
            </form>
        </section>
    }
}

fn cards_now() -> SavedCards {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<SavedCards>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        SavedCards::default()
    }
}

/// Kayıtlı kartlarım: the cards the payment provider keeps for the member ("hızlı alışveriş",
/// saved only when they ticked "Kartımı kaydet" while paying), each deletable.
#[component]
pub fn CardsPage(locale: Locale) -> impl IntoView {
    let title = text(locale, "account.cards");
    let body = match cards_now().0 {
        None => view! { <p class="notice notice--error" role="alert">{text(locale, "account.cards_unavailable")}</p> }.into_any(),
        Some(cards) if cards.is_empty() => view! { <p class="account__empty">{text(locale, "account.no_cards")}</p> }.into_any(),
        Some(cards) => {
            let action = locale.path(&Page::Cards);
            let items = cards
                .into_iter()
                .map(|card| {
                    let name = format!(
                        "{} •••• {}",
                        card.family.clone().unwrap_or_default(),
                        card.last4
                    );
                    view! {
                        <li class="address-card">
                            <p><strong>{name}</strong> " · " {text(locale, "account.card_expiry")} " " {card.expiry}</p>
                            <form method="post" action=action.clone()>
                                <input type="hidden" name=ACTION value=ACTION_DELETE/>
                                <input type="hidden" name=CARD_TOKEN value=card.token/>
                                <button type="submit" class="link-button">{text(locale, "account.delete")}</button>
                            </form>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="address-list">{items}</ul> }.into_any()
        }
    };
    view! {
        <PrivateMeta title=title.clone()/>
        <article class="prose account">
            <h1>{title}</h1>
            <AccountNav locale current=Page::Cards/>
            {state_notice(locale, "cards")}
            <p>{text(locale, "account.cards_intro")}</p>
            {body}
        </article>
    }
}
