//! A product page's "Customers also bought" and "Similar products" (the domain's
//! `personal::related` says how each row is chosen).

use crate::{
    catalogue,
    platform::{db::Db, error::ApiError},
};
use aisle_domain::{
    personal::related::{also_bought, similar, Likeness, Related, RELATED_ROW},
    Lang,
};

/// Both rows for product `id`; 404 when it is not for sale.
pub async fn related(state: &crate::AppState, lang: Lang, id: i64) -> Result<Related, ApiError> {
    let target: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT c.slug, p.brand, p.price_minor, p.stock FROM products p JOIN categories c ON c.id = p.category_id \
         WHERE p.id = $1 AND p.status = 'published'",
    )
    .bind(id)
    .fetch_optional(&state.db)
    .await?;
    let Some((category, brand, price_minor, stock)) = target else {
        return Err(ApiError::not_found("There is no such product."));
    };
    let model = state.personal.model(&state.db).await?;
    // Over-asked: some may no longer be for sale, which the summaries leave out.
    let together = also_bought(&model.co_purchase, id, |_| true, RELATED_ROW * 2);
    let mut also = catalogue::store::product_summaries(&state.db, lang, &together).await?;
    also.truncate(RELATED_ROW);

    let target = Likeness { id, category: &category, brand: &brand, price_minor, in_stock: stock > 0 };
    let candidates = candidates(&state.db, &category, &brand).await?;
    let shown: Vec<i64> = also.iter().map(|p| p.id).collect();
    let alike = similar(
        &target,
        candidates
            .iter()
            .filter(|c| !shown.contains(&c.0))
            .map(|(id, category, brand, price_minor, stock)| Likeness { id: *id, category, brand, price_minor: *price_minor, in_stock: *stock > 0 }),
        RELATED_ROW,
    );
    Ok(Related { also_bought: also, similar: catalogue::store::product_summaries(&state.db, lang, &alike).await? })
}

/// Products for sale in the same category or of the same brand: the only ones
/// `similar` can choose.
async fn candidates(db: &Db, category: &str, brand: &str) -> Result<Vec<(i64, String, String, i64, i64)>, ApiError> {
    Ok(sqlx::query_as(
        "SELECT p.id, c.slug, p.brand, p.price_minor, p.stock FROM products p JOIN categories c ON c.id = p.category_id \
         WHERE p.status = 'published' AND (c.slug = $1 OR ($2 <> '' AND LOWER(p.brand) = LOWER($2)))",
    )
    .bind(category)
    .bind(brand)
    .fetch_all(db)
    .await?)
}
