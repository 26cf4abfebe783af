use super::{shelves::{Shelf, Shelves}, store};
use crate::{
    catalogue::cache::{product_json, summaries_json, Key},
    platform::{error::ApiError, extract::{ApiPath, QueryParams, ShopperLang}},
    AppState,
};
use aisle_domain::{
    catalogue::{
        art::product_svg,
        is_valid_slug,
        listing::{Choice, Facets, MAX_BRAND_CHARS},
        parse_sync_cursor,
    },
    BrandPage,
    CatalogueChanges,
    Category,
    CategoryPage,
    Lang,
    PageRequest,
    ProductSummary,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};

/// The products home shows.
pub const FEATURED_COUNT: i64 = 8;

/// `GET /api/categories`
#[utoipa::path(get, path = "/categories", tag = "catalogue", responses((status = 200, description = "Every category", body = Vec<Category>)))]
pub async fn categories_index(State(state): State<AppState>, ShopperLang(lang): ShopperLang) -> Result<Json<Vec<Category>>, ApiError> {
    Ok(Json(state.categories.get(&state.db, lang).await?.to_vec()))
}

/// The category at `slug`, and every category (its place in the tree).
async fn find_category(state: &AppState, lang: Lang, slug: &str) -> Result<(Category, std::sync::Arc<Vec<Category>>), ApiError> {
    let missing = || ApiError::not_found(format!("There is no category called {slug:?}."));
    if !is_valid_slug(slug) {
        return Err(missing());
    }
    let all = state.categories.get(&state.db, lang).await?;
    let category = all.iter().find(|c| c.slug == slug).cloned().ok_or_else(missing)?;
    Ok((category, all))
}

/// `GET /api/categories/{slug}`
#[utoipa::path(get, path = "/categories/{slug}", tag = "catalogue", responses((status = 200, description = "The category", body = Category)))]
pub async fn categories_show(State(state): State<AppState>, ShopperLang(lang): ShopperLang, ApiPath(slug): ApiPath<String>) -> Result<Json<Category>, ApiError> {
    Ok(Json(find_category(&state, lang, &slug).await?.0))
}

/// `GET /api/categories/{slug}/products?page=&per_page=&sort=&min=&max=&stock=&brand=&stars=&option=`
#[utoipa::path(get, path = "/categories/{slug}/products", tag = "catalogue", params(
    ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000, description = "From 1; default 1"),
    ("per_page" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100; default 24"),
    ("sort" = Option<String>, Query, description = "price, -price, newest, best-selling or best-rated; default: by name"),
    ("min" = Option<String>, Query, description = "The lowest price, as the shop writes it (12.50)"),
    ("max" = Option<String>, Query, description = "The highest price, as the shop writes it"),
    ("stock" = Option<String>, Query, description = "in: only what is in stock"),
    ("brand" = Option<Vec<String>>, Query, description = "Any of these brands; repeat for more than one"),
    ("stars" = Option<u8>, Query, minimum = 1, maximum = 5, description = "Rated at least this many stars"),
    ("option" = Option<Vec<String>>, Query, description = "Option:Value (Size:M): comes in one of these values of each option named (in stock, with stock=in); repeat for more"),
), responses((status = 200, description = "One page of the category, in the order and with the filters asked for, and the count beside each filter choice", body = CategoryPage)))]
pub async fn category_products_index(
    State(state): State<AppState>,
    ShopperLang(lang): ShopperLang,
    ApiPath(slug): ApiPath<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let paging = PageRequest::parse(query.get("page"), query.get("per_page")).map_err(|e| ApiError::bad_request(e.0))?;
    let (category, _) = find_category(&state, lang, &slug).await?;
    let shelves = state.categories.shelves(&state.db, lang).await?;
    shelf_page(&state, lang, &shelves, Shelf::Category(category.id), paging, &query, Owner::Category(&category)).await
}

/// `GET /api/brands/{brand}/products?page=&per_page=&sort=&min=&max=&stock=&brand=&stars=&option=`
#[utoipa::path(get, path = "/brands/{brand}/products", tag = "catalogue", params(
    ("brand" = String, Path, description = "The brand, as the shop writes it on its products"),
    ("page" = Option<u32>, Query, minimum = 1, maximum = 1000000, description = "From 1; default 1"),
    ("per_page" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100; default 24"),
    ("sort" = Option<String>, Query, description = "price, -price, newest, best-selling or best-rated; default: by name"),
    ("min" = Option<String>, Query, description = "The lowest price, as the shop writes it (12.50)"),
    ("max" = Option<String>, Query, description = "The highest price, as the shop writes it"),
    ("stock" = Option<String>, Query, description = "in: only what is in stock"),
    ("stars" = Option<u8>, Query, minimum = 1, maximum = 5, description = "Rated at least this many stars"),
    ("option" = Option<Vec<String>>, Query, description = "Option:Value (Size:M); repeat for more"),
), responses((status = 200, description = "One page of the brand's products, in the order and with the filters asked for", body = BrandPage)))]
pub async fn brand_products_index(
    State(state): State<AppState>,
    ShopperLang(lang): ShopperLang,
    ApiPath(brand): ApiPath<String>,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let paging = PageRequest::parse(query.get("page"), query.get("per_page")).map_err(|e| ApiError::bad_request(e.0))?;
    let shelves = state.categories.shelves(&state.db, lang).await?;
    if brand.chars().count() > MAX_BRAND_CHARS || !shelves.has_brand(&brand) {
        return Err(ApiError::not_found(format!("No product of the brand {brand:?} is for sale.")));
    }
    shelf_page(&state, lang, &shelves, Shelf::Brand(brand.as_str().into()), paging, &query, Owner::Brand(&brand)).await
}

/// What a listing page is of: written as its first field, `"category"` or `"brand"`,
/// as in `CategoryPage` and `BrandPage` (the API tests read the answers as those).
#[derive(serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum Owner<'a> {
    Category(&'a Category),
    Brand(&'a str),
}

/// One page of `shelf` in the order and with the filters `query` asks for, with the
/// count beside each filter choice.
async fn shelf_page(state: &AppState, lang: Lang, shelves: &Shelves, shelf: Shelf, paging: PageRequest, query: &QueryParams, owner: Owner<'_>) -> Result<Response, ApiError> {
    let choice = Choice::parse(query.0.iter().map(|(k, v)| (k.as_str(), v.as_str())), shelves.currency)?;
    let listed = shelves.list(shelf, &choice, &state.categories.stock);
    let (shelf, facets) = (&listed.0, &listed.1);
    let items = summaries_json(&state.db, state.products.summaries(lang), lang, page_of(shelf, paging)).await?;
    #[derive(serde::Serialize)]
    struct Head<'a> {
        #[serde(flatten)]
        owner: Owner<'a>,
        page: u32,
        per_page: u32,
        total: i64,
        total_pages: u32,
        facets: &'a Facets,
    }
    // Counted from the shelf the page was cut from, so the two always agree.
    let total = i64::try_from(shelf.len()).unwrap_or(i64::MAX);
    let head = Head { owner, page: paging.page, per_page: paging.per_page, total, total_pages: paging.total_pages(total), facets };
    page_json(&head, &items)
}

/// A listing's page written around the summaries' cached JSON rather than serializing
/// each again: `head`'s fields, then `"items"`.
fn page_json(head: &impl serde::Serialize, items: &[axum::body::Bytes]) -> Result<Response, ApiError> {
    let mut body = serde_json::to_vec(head).map_err(|e| ApiError::Internal(format!("listing page: {e}")))?;
    body.pop(); // the head's closing brace
    body.extend_from_slice(b",\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(item);
    }
    body.extend_from_slice(b"]}");
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The ids of one page of a shelf; none past its end.
pub fn page_of(shelf: &[i64], paging: PageRequest) -> &[i64] {
    let start = usize::try_from(paging.offset()).unwrap_or(usize::MAX).min(shelf.len());
    let end = start.saturating_add(usize::try_from(paging.limit()).unwrap_or(0)).min(shelf.len());
    &shelf[start..end]
}

/// `GET /api/featured`: the products the home page shows.
#[utoipa::path(get, path = "/featured", tag = "catalogue", responses((status = 200, description = "The products the home page shows", body = Vec<ProductSummary>)))]
pub async fn featured_index(State(state): State<AppState>, ShopperLang(lang): ShopperLang) -> Result<Json<Vec<ProductSummary>>, ApiError> {
    Ok(Json(store::featured_products(&state.db, lang, FEATURED_COUNT).await?))
}

/// `GET /api/products/{id_or_slug}`: a number is an id, anything else a slug. Served
/// from the product cache, so the body is the `Product` JSON as bytes.
#[utoipa::path(get, path = "/products/{key}", params(("key" = String, Path, description = "The product's id, or its slug")), tag = "catalogue", responses((status = 200, description = "The product", body = aisle_domain::Product)))]
pub async fn products_show(State(state): State<AppState>, ShopperLang(lang): ShopperLang, ApiPath(key): ApiPath<String>) -> Result<Response, ApiError> {
    let key = if let Ok(id) = key.parse::<i64>() {
        Some(Key::Id(id))
    } else {
        is_valid_slug(&key).then_some(Key::Slug(&key))
    };
    let body = match key {
        Some(key) => product_json(&state.db, state.products.of(lang), lang, key).await?,
        None => None,
    };
    let body = body.ok_or_else(|| ApiError::not_found("We could not find that product. It may have been removed."))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /api/products/{id}/image.svg`: the product's picture, drawn on request.
#[utoipa::path(get, path = "/products/{key}/image.svg", tag = "catalogue", params(("key" = i64, Path, description = "The product's id")), responses((status = 200, description = "The picture", content_type = "image/svg+xml", body = String)))]
pub async fn products_image(State(state): State<AppState>, ApiPath(key): ApiPath<String>) -> Result<impl IntoResponse, ApiError> {
    let id: i64 = key
        .parse()
        .map_err(|_| ApiError::bad_request(format!("A product picture is addressed by a numeric id, not {key:?}.")))?;
    let product = store::product_by_id(&state.db, aisle_domain::catalogue::translation::BASE_LANG, id)
        .await?
        .ok_or_else(|| ApiError::not_found("There is no picture for that product."))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        product_svg(product.id, &product.name, &product.category_slug),
    ))
}

/// Products per page of catalogue changes.
const CHANGES_PAGE: i64 = 2000;

/// `GET /api/catalogue/changes?since=`: what changed since the cursor, for the app's
/// offline copy (see `CatalogueChanges`).
#[utoipa::path(get, path = "/catalogue/changes", tag = "catalogue", params(("since" = Option<String>, Query)), responses((status = 200, description = "What changed since the cursor", body = CatalogueChanges)))]
pub async fn catalogue_changes(State(state): State<AppState>, ShopperLang(lang): ShopperLang, query: QueryParams) -> Result<Json<CatalogueChanges>, ApiError> {
    let since = query.get("since").unwrap_or_default();
    let version = parse_sync_cursor(since).ok_or_else(|| ApiError::bad_request("since must be a cursor from an earlier answer."))?;
    let changes = store::changes_since(&state.db, lang, version, CHANGES_PAGE).await?;
    Ok(Json(CatalogueChanges {
        categories: state.categories.get(&state.db, lang).await?.to_vec(),
        products: changes.products,
        removed: changes.removed,
        next: changes.last.to_string(),
        more: changes.more,
    }))
}

/// These routes, each with its OpenAPI description (see `utoipa::path` on each handler).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(categories_index))
        .routes(routes!(categories_show))
        .routes(routes!(category_products_index))
        .routes(routes!(brand_products_index))
        .routes(routes!(featured_index))
        .routes(routes!(products_show))
        .routes(routes!(products_image))
        .routes(routes!(catalogue_changes))
}
