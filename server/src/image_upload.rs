//! Product images: `POST /yonetim/urun/{slug}/gorsel` (a yonetici's, behind the staff guard in
//! `staff_forms`) takes one uploaded file, and `GET /gorsel/{sha256}.jpg` serves a stored one to
//! anyone. The checks, the resize and the storage are `app::backend::staff::images`'s; this is
//! the door: the multipart body read within its limit, the CPU work off the async threads, and
//! an answer in the staff member's language.

use app::backend::staff::audit::Actor;
use app::backend::staff::images::{self, ImageRefusal, MAX_UPLOAD_BYTES};
use app::backend::AppState;
use app::model::route::{Load, STATE_QUERY};
use app::model::staff::StaffView;
use app::model::Page;
use axum::{
    extract::{DefaultBodyLimit, Multipart, Path, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post, MethodRouter},
    Router,
};

use crate::client_ip::request_origin;

/// One image is decoded at a time in this process: a second upload waits its turn instead of
/// doubling the memory a large photo takes.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Where stored images are served, for everyone.
pub fn router() -> Router<AppState> {
    Router::new().route(
        &format!("{}{{file}}", images::IMAGE_PATH_PREFIX),
        get(serve),
    )
}

/// The upload's route, for the yonetici part of the back office's router: its body may be as
/// large as the largest image taken, and a little more for the form around it.
pub fn upload_route() -> MethodRouter<AppState> {
    post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024))
}

/// The address the upload form posts to, under the product's page.
pub fn upload_path(locale: app::model::Locale, slug: &str) -> String {
    format!(
        "{}/gorsel",
        locale.path(&Page::StaffProduct(slug.to_string()))
    )
}

async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match images::stored(&state.db, &file).await {
        // The name is the content's hash: it never changes, so it may be kept for a year.
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "a stored image could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The file and the two descriptions a form sent; the key of what was wrong with it.
async fn read_upload(mut multipart: Multipart) -> Result<(Vec<u8>, String, String), &'static str> {
    let (mut file, mut alt, mut alt_en) = (None, String::new(), String::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err("staff.image.error.too_big")
            }
            Err(_) => return Err("staff.image.error.none"),
        };
        let name = field.name().unwrap_or_default().to_string();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err("staff.image.error.too_big")
            }
            Err(_) => return Err("staff.image.error.none"),
        };
        let text = || {
            String::from_utf8_lossy(&bytes)
                .trim()
                .chars()
                .take(200)
                .collect()
        };
        match name.as_str() {
            "gorsel" if !bytes.is_empty() => file = Some(bytes.to_vec()),
            "alt" => alt = text(),
            "alt_en" => alt_en = text(),
            _ => {}
        }
    }
    let file = file.ok_or("staff.image.error.none")?;
    if file.len() > MAX_UPLOAD_BYTES {
        return Err("staff.image.error.too_big");
    }
    Ok((file, alt, alt_en))
}

async fn upload(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Response {
    let Some(staff) = request.extensions().get::<StaffView>().cloned() else {
        return crate::staff_guard::not_found(state.clone(), &request.into_parts().0).await;
    };
    let (mut parts, body) = request.into_parts();
    let locale = app::i18n::locale_of_path(parts.uri.path());
    let by = Actor::staff(staff.id, &request_origin(&parts, &state.trusted_proxies).ip);
    let product_page = locale.path(&Page::StaffProduct(slug.clone()));
    let multipart = {
        use axum::extract::FromRequest;
        let request = Request::from_parts(parts.clone(), body);
        Multipart::from_request(request, &state).await
    };
    let outcome: Result<String, (StatusCode, &'static str)> = async {
        let multipart =
            multipart.map_err(|_| (StatusCode::UNPROCESSABLE_ENTITY, "staff.image.error.none"))?;
        let (file, alt, alt_en) = read_upload(multipart).await.map_err(|key| {
            let status = if key == "staff.image.error.too_big" {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (status, key)
        })?;
        // Decoding and resizing take a CPU and up to a few hundred MB for a moment: one at a
        // time, and not on the threads serving pages.
        let _turn = DECODING
            .acquire()
            .await
            .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "staff.refused.unavailable"))?;
        let prepared = tokio::task::spawn_blocking(move || images::prepare(&file))
            .await
            .map_err(|_| (StatusCode::SERVICE_UNAVAILABLE, "staff.refused.unavailable"))?;
        let added = match prepared {
            Ok(prepared) => {
                images::add_to_product(&state.db, &slug, &prepared, [&alt, &alt_en], &by).await
            }
            Err(refusal) => Err(refusal),
        };
        added.map_err(|refusal| match refusal {
            ImageRefusal::NotAnImage => {
                (StatusCode::UNPROCESSABLE_ENTITY, "staff.image.error.type")
            }
            ImageRefusal::TooLarge => {
                (StatusCode::UNPROCESSABLE_ENTITY, "staff.image.error.pixels")
            }
            ImageRefusal::NotFound => (StatusCode::NOT_FOUND, "staff.refused.step"),
            ImageRefusal::Database(error) => {
                tracing::error!(%error, "an uploaded image could not be stored");
                (StatusCode::SERVICE_UNAVAILABLE, "staff.refused.unavailable")
            }
        })
    }
    .await;
    match outcome {
        Ok(_) => crate::forms::accepted(format!("{product_page}?{STATE_QUERY}=gorsel")),
        Err((status, key)) => {
            tracing::info!(key, "an image upload was refused");
            if let Ok(uri) = product_page.parse() {
                parts.uri = uri;
            }
            crate::staff_forms::render_page_again(state, parts, Load::StaffProduct, status, key)
                .await
        }
    }
}
