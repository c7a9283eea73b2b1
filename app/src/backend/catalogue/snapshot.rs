//! The catalogue held in memory. A boutique sells hundreds of products, not millions: reading
//! them once and answering every page from memory keeps pages fast and queries few. The
//! snapshot is replaced as soon as the catalogue changes: database triggers bump
//! `shop_meta.catalogue_version` on every write to a catalogue table, and each request compares
//! that number with the snapshot's (one indexed read).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sqlx::Row;

use crate::backend::Db;
use crate::model::{Locale, Money};

/// Shown for a product that has no image yet.
const NO_IMAGE: &str = "/img/gorsel-yok.svg";

/// A Turkish/English pair, indexed by [`Locale`].
#[derive(Clone, Debug, Default)]
pub struct Localised {
    pub tr: String,
    pub en: String,
}

impl Localised {
    pub fn get(&self, locale: Locale) -> &str {
        locale.pick(&self.tr, &self.en)
    }
}

#[derive(Clone, Debug)]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: Localised,
    pub intro: Localised,
    pub updated_at: String,
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub id: i64,
    pub sku: String,
    pub size: String,
    pub colour: Localised,
    /// Folded Turkish colour name: the colour's key in filter URLs.
    pub colour_key: String,
    pub colour_hex: String,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub stock: i64,
}

#[derive(Clone, Debug)]
pub struct ImageRow {
    pub path: String,
    pub alt: Localised,
}

impl ImageRow {
    pub fn view(&self, locale: Locale) -> crate::model::catalogue::Image {
        crate::model::catalogue::Image {
            src: self.path.clone(),
            alt: self.alt.get(locale).to_string(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Product {
    pub id: i64,
    pub category_id: i64,
    pub slug: String,
    pub name: Localised,
    pub description: Localised,
    pub material: Localised,
    pub care: Localised,
    pub kdv_rate: i64,
    pub published: bool,
    pub featured: bool,
    /// Why it cannot be withdrawn from (m.15), when it cannot.
    pub cayma_exempt: Option<crate::model::cayma::CaymaExemption>,
    pub search_text: String,
    pub created_at: String,
    pub updated_at: String,
    pub variants: Vec<Variant>,
    pub images: Vec<ImageRow>,
}

impl Product {
    /// The cheapest variant's price and its compare-at price.
    pub fn lowest_price(&self) -> (Money, Option<Money>) {
        self.variants
            .iter()
            .min_by_key(|v| v.price)
            .map(|v| (v.price, v.compare_at))
            .unwrap_or((Money::ZERO, None))
    }

    /// The first image, or the "no image yet" drawing.
    pub fn cover_image(&self, locale: Locale) -> crate::model::catalogue::Image {
        self.images
            .first()
            .map(|image| image.view(locale))
            .unwrap_or_else(|| crate::model::catalogue::Image {
                src: NO_IMAGE.into(),
                alt: self.name.get(locale).to_string(),
            })
    }

    pub fn in_stock(&self) -> bool {
        self.variants.iter().any(|v| v.stock > 0)
    }
}

/// Everything the catalogue pages read, as of one `catalogue_version`.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub version: i64,
    /// Ordered by position, parents and children mixed.
    pub categories: Vec<Category>,
    /// Ordered newest first.
    pub products: Vec<Product>,
    category_index: HashMap<String, usize>,
    product_index: HashMap<String, usize>,
    /// Variant id to (product, variant) positions.
    variant_index: HashMap<i64, (usize, usize)>,
}

impl Snapshot {
    pub fn new(version: i64, categories: Vec<Category>, mut products: Vec<Product>) -> Self {
        products.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
        let category_index = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let product_index = products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.clone(), i))
            .collect();
        let variant_index = products
            .iter()
            .enumerate()
            .flat_map(|(p, product)| {
                product
                    .variants
                    .iter()
                    .enumerate()
                    .map(move |(v, variant)| (variant.id, (p, v)))
            })
            .collect();
        Self {
            version,
            categories,
            products,
            category_index,
            product_index,
            variant_index,
        }
    }

    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.category_index.get(slug).map(|&i| &self.categories[i])
    }

    pub fn category_by_id(&self, id: i64) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn children(&self, id: i64) -> impl Iterator<Item = &Category> {
        self.categories
            .iter()
            .filter(move |c| c.parent_id == Some(id))
    }

    /// A published product by slug; drafts do not exist for shoppers.
    pub fn product(&self, slug: &str) -> Option<&Product> {
        self.product_index
            .get(slug)
            .map(|&i| &self.products[i])
            .filter(|p| p.published)
    }

    /// A variant of a published product, with its product.
    pub fn variant(&self, id: i64) -> Option<(&Product, &Variant)> {
        let &(p, v) = self.variant_index.get(&id)?;
        let product = &self.products[p];
        product.published.then(|| (product, &product.variants[v]))
    }

    pub fn published(&self) -> impl Iterator<Item = &Product> {
        self.products.iter().filter(|p| p.published)
    }

    /// Loads the whole catalogue in four queries.
    pub async fn load(db: &Db) -> Result<Self, sqlx::Error> {
        let pool = db.pool();
        let version = current_version(db).await?;
        let categories: Vec<Category> = sqlx::query(
            "SELECT id, parent_id, slug, name_tr, name_en, intro_tr, intro_en, updated_at \
             FROM categories ORDER BY position, id",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| Category {
            id: row.get("id"),
            parent_id: row.get("parent_id"),
            slug: row.get("slug"),
            name: localised(row, "name"),
            intro: localised(row, "intro"),
            updated_at: row.get("updated_at"),
        })
        .collect();

        let mut variants: HashMap<i64, Vec<Variant>> = HashMap::new();
        for row in sqlx::query(
            "SELECT id, product_id, sku, size, colour_tr, colour_en, colour_hex, price_kurus, \
             compare_at_kurus, stock FROM variants ORDER BY product_id, position, id",
        )
        .fetch_all(pool)
        .await?
        {
            let colour = localised(&row, "colour");
            variants
                .entry(row.get("product_id"))
                .or_default()
                .push(Variant {
                    id: row.get("id"),
                    sku: row.get("sku"),
                    size: row.get("size"),
                    colour_key: crate::model::text::slugify(&colour.tr),
                    colour,
                    colour_hex: row.get("colour_hex"),
                    price: Money(row.get("price_kurus")),
                    compare_at: row.get::<Option<i64>, _>("compare_at_kurus").map(Money),
                    stock: row.get("stock"),
                });
        }

        let mut images: HashMap<i64, Vec<ImageRow>> = HashMap::new();
        for row in sqlx::query(
            "SELECT product_id, path, alt_tr, alt_en FROM product_images \
             ORDER BY product_id, position",
        )
        .fetch_all(pool)
        .await?
        {
            images
                .entry(row.get("product_id"))
                .or_default()
                .push(ImageRow {
                    path: row.get("path"),
                    alt: localised(&row, "alt"),
                });
        }

        let products = sqlx::query(
            "SELECT id, category_id, slug, name_tr, name_en, description_tr, description_en, \
             material_tr, material_en, care_tr, care_en, kdv_rate, published, featured, \
             cayma_exempt, search_text, created_at, updated_at FROM products",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let id: i64 = row.get("id");
            Product {
                id,
                category_id: row.get("category_id"),
                slug: row.get("slug"),
                name: localised(row, "name"),
                description: localised(row, "description"),
                material: localised(row, "material"),
                care: localised(row, "care"),
                kdv_rate: row.get("kdv_rate"),
                published: row.get::<i64, _>("published") == 1,
                featured: row.get::<i64, _>("featured") == 1,
                cayma_exempt: row
                    .get::<Option<String>, _>("cayma_exempt")
                    .as_deref()
                    .and_then(crate::model::cayma::CaymaExemption::from_code),
                search_text: row.get("search_text"),
                created_at: row.get("created_at"),
                updated_at: row.get("updated_at"),
                variants: variants.remove(&id).unwrap_or_default(),
                images: images.remove(&id).unwrap_or_default(),
            }
        })
        .collect::<Vec<Product>>();

        // Prices as the campaigns running now make them (the version moves when one starts
        // or ends: `campaigns::bump_at_boundaries`).
        let mut products = products;
        let now = super::campaigns::database_now(db).await?;
        let running = super::campaigns::running(db, now).await?;
        super::campaigns::apply(&categories, &mut products, &running);
        Ok(Self::new(version, categories, products))
    }
}

fn localised(row: &sqlx::any::AnyRow, column: &str) -> Localised {
    Localised {
        tr: row.get(format!("{column}_tr").as_str()),
        en: row.get(format!("{column}_en").as_str()),
    }
}

/// The number the triggers bump on every catalogue write.
pub async fn current_version(db: &Db) -> Result<i64, sqlx::Error> {
    let value: Option<String> =
        sqlx::query_scalar("SELECT value FROM shop_meta WHERE key = 'catalogue_version'")
            .fetch_optional(db.pool())
            .await?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// How long a process may answer pages from what it last knew of the catalogue version without
/// asking the database again: the bound within which a catalogue change made anywhere (another
/// process, a script, the back office) shows on every page of every process. Within it, a page
/// costs no database read at all, however many requests arrive.
pub const VERSION_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// How long a request waits for the version read it needs before it answers from the version it
/// knows. The database answers in well under a millisecond; a read still running after this is a
/// locked table or a lost connection, and a cached page must not wait on it (a 40 s table lock
/// made every page, cached ones too, answer 503).
pub const VERSION_READ_PATIENCE: Duration = Duration::from_millis(250);

/// How long a page waits for a catalogue load already running in this process before it is
/// answered from the snapshot held.
pub const PAGE_LOAD_PATIENCE: Duration = Duration::from_millis(150);

/// The current snapshot, shared by all requests of this process.
#[derive(Clone, Debug, Default)]
pub struct CatalogueCache {
    current: Arc<RwLock<Arc<Snapshot>>>,
    version: Arc<Mutex<VersionReading>>,
    /// Wakes requests waiting for the read in flight.
    read_done: Arc<tokio::sync::Notify>,
    /// While nothing is known yet (the process just started), one request reads and the others
    /// wait for it here instead of each taking a connection; holds when the last such read
    /// failed, so that those who waited for it fail with it instead of each trying in turn.
    first_read: Arc<tokio::sync::Mutex<Option<Instant>>>,
    /// One load of the whole catalogue at a time in this process: a version change under load
    /// must not start a load per request in flight (at 10,000 products a load takes about a
    /// second and a hundred megabytes; every request of a busy moment loading its own took the
    /// process away for seconds). Holds when the last load failed, so that those who waited for
    /// it fail with it instead of each trying in turn.
    loading: Arc<tokio::sync::Mutex<Option<Instant>>>,
    /// Wakes pages waiting for the load in flight.
    loaded: Arc<tokio::sync::Notify>,
    /// How many loads this process has made.
    loads: Arc<std::sync::atomic::AtomicU64>,
}

/// What this process knows of the catalogue version.
#[derive(Debug, Default)]
struct VersionReading {
    /// When the version was last read (the moment before the read) and what it was.
    checked: Option<(Instant, i64)>,
    /// When the read now running started; one runs at a time, whoever asks.
    in_flight_since: Option<Instant>,
    /// When this process last heard that the catalogue changed (PostgreSQL tells every
    /// listening process at the commit; the back office tells its own): a version read before
    /// then no longer answers pages.
    changed_at: Option<Instant>,
}

impl VersionReading {
    /// The version last read, while pages may still be answered from it.
    fn fresh(&self) -> Option<i64> {
        let (at, version) = self.checked?;
        let heard_of_no_change_since = self.changed_at.is_none_or(|changed| at > changed);
        (at.elapsed() < VERSION_CHECK_INTERVAL && heard_of_no_change_since).then_some(version)
    }
}

impl CatalogueCache {
    /// The snapshot as of now: the version is read from the database on every call. For what
    /// decides money or stock (pricing a cart), where a second's delay is not acceptable.
    pub async fn get(&self, db: &Db) -> Result<Arc<Snapshot>, sqlx::Error> {
        let version = self.read_version(db).await?;
        self.at_version(db, version, false).await
    }

    /// The snapshot as of at most [`VERSION_CHECK_INTERVAL`] ago: what pages render from.
    pub async fn get_recent(&self, db: &Db) -> Result<Arc<Snapshot>, sqlx::Error> {
        let version = self.recent_version(db).await?;
        self.at_version(db, version, true).await
    }

    /// The catalogue changed (a notification from the database, or a back-office change made
    /// in this process): the next page reads the version again instead of waiting out
    /// [`VERSION_CHECK_INTERVAL`], so the change shows at once. Costs one version read, and a
    /// load only if the version moved.
    pub fn changed(&self) {
        self.version.lock().expect("version lock").changed_at = Some(Instant::now());
    }

    /// How many times this process has loaded the catalogue.
    pub fn loads(&self) -> u64 {
        self.loads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The catalogue version as of at most [`VERSION_CHECK_INTERVAL`] ago, read by one request
    /// per interval however many ask. When that read is slow (the database is locked or gone),
    /// requests wait for it at most [`VERSION_READ_PATIENCE`] from its start and then answer
    /// from the version last read: pages stay up, a little stale, until the database is back.
    pub async fn recent_version(&self, db: &Db) -> Result<i64, sqlx::Error> {
        let (known, deadline) = {
            let mut reading = self.version.lock().expect("version lock");
            if let Some(version) = reading.fresh() {
                return Ok(version);
            }
            let started = match reading.in_flight_since {
                Some(started) => started,
                None => {
                    let started = Instant::now();
                    reading.in_flight_since = Some(started);
                    // Its own task: it finishes (and frees its connection) whether or not
                    // anyone still waits for it.
                    tokio::spawn(self.clone().read_in_background(db.clone()));
                    started
                }
            };
            (
                reading.checked.map(|(_, version)| version),
                started + VERSION_READ_PATIENCE,
            )
        };
        let Some(known) = known else {
            // Nothing known yet (the process just started): nothing to answer from but the
            // database. One request reads; the others wait for its answer.
            let asked_at = Instant::now();
            let mut last_failure = self.first_read.lock().await;
            if let Some((_, version)) = self.version.lock().expect("version lock").checked {
                return Ok(version);
            }
            if last_failure.is_some_and(|failed_at| failed_at > asked_at) {
                return Err(sqlx::Error::PoolTimedOut);
            }
            let read = self.read_version(db).await;
            if read.is_err() {
                *last_failure = Some(Instant::now());
            }
            return read;
        };
        loop {
            let notified = self.read_done.notified();
            {
                let reading = self.version.lock().expect("version lock");
                if let Some(version) = reading.fresh() {
                    return Ok(version);
                }
                if reading.in_flight_since.is_none() {
                    // The read ended without a version (an error): the known one stands.
                    return Ok(known);
                }
            }
            if tokio::time::timeout_at(deadline.into(), notified)
                .await
                .is_err()
            {
                return Ok(known);
            }
        }
    }

    async fn read_in_background(self, db: Db) {
        if let Err(error) = self.read_version(&db).await {
            tracing::warn!(%error, "the catalogue version could not be read; pages use the last one known");
        }
        self.version.lock().expect("version lock").in_flight_since = None;
        self.read_done.notify_waiters();
    }

    async fn read_version(&self, db: &Db) -> Result<i64, sqlx::Error> {
        let asked_at = Instant::now();
        let version = current_version(db).await?;
        let mut reading = self.version.lock().expect("version lock");
        // Reads overlap (a price check reads on every call): a read that started earlier (and
        // may have seen an older version) never replaces one that started later.
        match reading.checked {
            Some((at, known)) if at > asked_at => Ok(known),
            _ => {
                reading.checked = Some((asked_at, version));
                Ok(version)
            }
        }
    }

    /// The snapshot held now (version 0 before the first load).
    pub fn held(&self) -> Arc<Snapshot> {
        self.current.read().expect("catalogue lock").clone()
    }

    /// The snapshot at `version`, loaded once however many ask at the same moment. A page
    /// (`stale_ok`) waits for the load at most [`PAGE_LOAD_PATIENCE`] and is otherwise answered
    /// from the snapshot held; what decides money or stock waits for it.
    async fn at_version(
        &self,
        db: &Db,
        version: i64,
        stale_ok: bool,
    ) -> Result<Arc<Snapshot>, sqlx::Error> {
        let held = self.held();
        if held.version == version && version != 0 {
            return Ok(held);
        }
        if !stale_ok || held.version == 0 {
            let asked_at = Instant::now();
            let turn = self.loading.clone().lock_owned().await;
            // Its own task: the load finishes and is kept even if the request that asked goes
            // away.
            let this = self.clone();
            let db = db.clone();
            return tokio::spawn(
                async move { this.load_in_turn(turn, &db, version, asked_at).await },
            )
            .await
            .map_err(|_| sqlx::Error::WorkerCrashed)?;
        }
        // A page: a small catalogue loads within this wait, so a change shows at once; a large
        // one keeps serving the pages it has while the load runs.
        let deadline = tokio::time::Instant::now() + PAGE_LOAD_PATIENCE;
        let mut started = false;
        loop {
            let loaded = self.loaded.notified();
            let held = self.held();
            if held.version >= version {
                return Ok(held);
            }
            if !started {
                // Nobody is loading: this request starts the load, in a task of its own. One
                // running already (perhaps of an older version) is waited for; the next page
                // after it starts another if it is still needed.
                if let Ok(turn) = self.loading.clone().try_lock_owned() {
                    started = true;
                    // A load that failed within the last interval is not tried again per page.
                    let asked_at = Instant::now()
                        .checked_sub(VERSION_CHECK_INTERVAL)
                        .unwrap_or_else(Instant::now);
                    let this = self.clone();
                    let db = db.clone();
                    tokio::spawn(async move {
                        // A failure is logged by the load and the held snapshot answers.
                        let _ = this.load_in_turn(turn, &db, version, asked_at).await;
                    });
                }
            }
            if tokio::time::timeout_at(deadline, loaded).await.is_err() {
                return Ok(self.held());
            }
        }
    }

    /// Loads the catalogue while holding the one turn to load, unless the snapshot held
    /// already reached `version` or a load that failed after `asked_at` stands for this one.
    async fn load_in_turn(
        &self,
        mut turn: tokio::sync::OwnedMutexGuard<Option<Instant>>,
        db: &Db,
        version: i64,
        asked_at: Instant,
    ) -> Result<Arc<Snapshot>, sqlx::Error> {
        let held = self.held();
        let outcome = if held.version >= version && held.version != 0 {
            Ok(held)
        } else if turn.is_some_and(|failed_at| failed_at > asked_at) {
            Err(sqlx::Error::PoolTimedOut)
        } else {
            let loaded = self.load(db).await;
            if let Err(error) = &loaded {
                tracing::warn!(%error, "the catalogue could not be loaded; pages use the snapshot held");
            }
            *turn = loaded.is_err().then(Instant::now);
            loaded
        };
        drop(turn);
        self.loaded.notify_waiters();
        outcome
    }

    async fn load(&self, db: &Db) -> Result<Arc<Snapshot>, sqlx::Error> {
        let started = Instant::now();
        let fresh = Arc::new(Snapshot::load(db).await?);
        self.loads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // How long a reload takes as the catalogue grows (scripts/load-figures.sh reads it).
        tracing::info!(
            version = fresh.version,
            products = fresh.products.len(),
            took_ms = started.elapsed().as_secs_f64() * 1000.0,
            "catalogue loaded"
        );
        let mut slot = self.current.write().expect("catalogue lock");
        if fresh.version >= slot.version {
            *slot = fresh.clone();
        }
        Ok(fresh)
    }
}
