//! The catalogue's calls: `/api/staff/products…` and the categories.

use crate::platform::http::{self, encode_query, ApiError};
use aisle_domain::{
    catalogue::{
        edit::{AuditEntry, CategoryForm, CategoryOrder, ProductForm, StaffCategory, StaffProduct, StaffProductList},
        import::{ImportReport, ImportRequest},
        photo::PhotoArrangement,
        translation::TranslationForm,
    },
    change::Method,
    Category,
};
use gloo_net::http::Request;

/// What the list asks for; empty values are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub text: String,
    pub category: String,
    pub status: String,
    pub stock: String,
    pub sort: String,
    pub page: u32,
}

pub async fn products(q: &ListQuery) -> Result<StaffProductList, ApiError> {
    let mut url = format!("/api/staff/products?per_page=50&page={}", q.page.max(1));
    for (name, value) in [("q", &q.text), ("category", &q.category), ("status", &q.status), ("stock", &q.stock), ("sort", &q.sort)] {
        if !value.trim().is_empty() {
            url.push_str(&format!("&{name}={}", encode_query(value.trim())));
        }
    }
    http::get(Request::get(&url)).await
}

pub async fn product(id: i64) -> Result<StaffProduct, ApiError> {
    http::get(Request::get(&format!("/api/staff/products/{id}"))).await
}

pub async fn audit(id: i64) -> Result<Vec<AuditEntry>, ApiError> {
    http::get(Request::get(&format!("/api/staff/products/{id}/audit"))).await
}

/// The shop's markets (other currencies), from its rules.
pub async fn markets() -> Result<aisle_domain::market::Markets, ApiError> {
    http::get::<aisle_domain::delivery::ShopRules>(Request::get("/api/checkout/rules")).await.map(|r| r.markets)
}

pub async fn categories() -> Result<Vec<Category>, ApiError> {
    http::get(Request::get("/api/categories")).await
}

pub async fn create(form: &ProductForm) -> Result<StaffProduct, ApiError> {
    http::change(Method::Post, "/api/staff/products", form, &[]).await
}

pub async fn update(id: i64, form: &ProductForm) -> Result<StaffProduct, ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{id}"), form, &[]).await
}

pub async fn upload_photo(id: i64, alt: &str, file: &leptos::web_sys::File, progress: impl Fn(f64) + 'static) -> Result<StaffProduct, ApiError> {
    http::upload(&format!("/api/staff/products/{id}/photos?alt={}", encode_query(alt.trim())), file, progress).await
}

pub async fn translate(id: i64, lang: aisle_domain::Lang, form: &TranslationForm) -> Result<StaffProduct, ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{id}/translations/{}", lang.code()), form, &[]).await
}

pub async fn set_variants(id: i64, form: &aisle_domain::catalogue::variant::VariantsForm) -> Result<StaffProduct, ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{id}/variants"), form, &[]).await
}

pub async fn arrange_photos(id: i64, arrangement: &PhotoArrangement) -> Result<StaffProduct, ApiError> {
    http::change(Method::Put, &format!("/api/staff/products/{id}/photos"), arrangement, &[]).await
}

pub async fn duplicate(id: i64) -> Result<StaffProduct, ApiError> {
    http::change(Method::Post, &format!("/api/staff/products/{id}/duplicate"), &serde_json::json!({}), &[]).await
}

pub async fn delete(id: i64) -> Result<(), ApiError> {
    http::change::<(), _>(Method::Delete, &format!("/api/staff/products/{id}"), &serde_json::json!({}), &[]).await
}

/// What a CSV file would change (`apply: false`), or the change made.
pub async fn import(csv: &str, apply: bool) -> Result<ImportReport, ApiError> {
    http::change(Method::Post, "/api/staff/products/import", &ImportRequest { csv: csv.to_string(), apply }, &[]).await
}

pub async fn staff_categories() -> Result<Vec<StaffCategory>, ApiError> {
    http::get(Request::get("/api/staff/categories")).await
}

pub async fn create_category(form: &CategoryForm) -> Result<Vec<StaffCategory>, ApiError> {
    http::change(Method::Post, "/api/staff/categories", form, &[]).await
}

pub async fn update_category(id: i64, form: &CategoryForm) -> Result<Vec<StaffCategory>, ApiError> {
    http::change(Method::Put, &format!("/api/staff/categories/{id}"), form, &[]).await
}

pub async fn order_categories(ids: Vec<i64>) -> Result<Vec<StaffCategory>, ApiError> {
    http::change(Method::Put, "/api/staff/categories/order", &CategoryOrder { ids }, &[]).await
}

pub async fn delete_category(id: i64) -> Result<(), ApiError> {
    http::change::<(), _>(Method::Delete, &format!("/api/staff/categories/{id}"), &serde_json::json!({}), &[]).await
}

pub async fn category_photo(id: i64, alt: &str, file: &leptos::web_sys::File, progress: impl Fn(f64) + 'static) -> Result<Vec<StaffCategory>, ApiError> {
    http::upload(&format!("/api/staff/categories/{id}/photo?alt={}", encode_query(alt.trim())), file, progress).await
}

pub async fn remove_category_photo(id: i64) -> Result<Vec<StaffCategory>, ApiError> {
    http::change(Method::Delete, &format!("/api/staff/categories/{id}/photo"), &serde_json::json!({}), &[]).await
}
