//! A product's content in the shop's other languages. The shop writes its products in
//! [`BASE_LANG`]; each other language may have the name, web address and description
//! translated. A shopper reading in a language with no translation gets the base
//! content, marked as such ([`Product::content_lang`](super::Product)).

use super::text::{parse_description, parse_slug, MAX_NAME};
use crate::{customer::{parse_text, FieldError}, Lang};
use serde::{Deserialize, Serialize};

/// The language products are written in first.
pub const BASE_LANG: Lang = Lang::En;

/// The languages a product can be translated into.
pub fn translatable() -> impl Iterator<Item = Lang> {
    Lang::ALL.into_iter().filter(|l| *l != BASE_LANG)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductTranslation {
    pub lang: Lang,
    pub name: String,
    pub slug: String,
    pub description: String,
}

/// A translation as staff typed it. An empty name removes the translation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TranslationForm {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
}

impl TranslationForm {
    /// `Ok(None)`: the translation is to be removed (every field empty). Every
    /// problem is returned at once, each naming its field.
    pub fn parse(&self, lang: Lang) -> Result<Option<ProductTranslation>, Vec<FieldError>> {
        if [&self.name, &self.slug, &self.description].iter().all(|s| s.trim().is_empty()) {
            return Ok(None);
        }
        let mut errors = Vec::new();
        let name = parse_text("name", "a name", &self.name, MAX_NAME).map_err(|e| errors.push(e)).ok();
        let slug = parse_slug(&self.slug, name.as_deref().unwrap_or_default()).map_err(|e| errors.push(e)).ok();
        let description = parse_description(&self.description).map_err(|e| errors.push(e)).ok();
        match (name, slug, description) {
            (Some(name), Some(slug), Some(description)) if errors.is_empty() => Ok(Some(ProductTranslation { lang, name, slug, description })),
            _ => Err(errors),
        }
    }
}

impl ProductTranslation {
    pub fn form(&self) -> TranslationForm {
        TranslationForm { name: self.name.clone(), slug: self.slug.clone(), description: self.description.clone() }
    }
}

/// The languages of [`translatable`] that `have` lacks.
pub fn missing(have: &[Lang]) -> Vec<Lang> {
    translatable().filter(|l| !have.contains(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_checked_like_the_product_and_empty_removes_it() {
        let form = TranslationForm { name: "Sturmlaterne".into(), slug: String::new(), description: "Für den **Garten**.".into() };
        let t = form.parse(Lang::De).expect("valid").expect("kept");
        assert_eq!((t.slug.as_str(), t.lang), ("sturmlaterne", Lang::De));
        assert_eq!(TranslationForm::default().parse(Lang::De), Ok(None));
        let bad = TranslationForm { name: " ".into(), slug: "a b".into(), description: String::new() }.parse(Lang::De).expect_err("refused");
        assert_eq!(bad.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["name", "slug"]);
    }

    #[test]
    fn only_the_other_languages_can_be_missing() {
        assert_eq!(missing(&[]), vec![Lang::De]);
        assert!(missing(&[Lang::De]).is_empty());
        assert_eq!(serde_json::to_string(&Lang::De).ok().as_deref(), Some("\"de\""));
    }
}
