//! The help centre's articles a new database starts with.

use crate::platform::db::Db;

/// An article: slug, question, answer (blank lines between paragraphs).
pub type FaqArticleSeed = (&'static str, &'static str, &'static str);

/// A category: slug, name, articles in the order shown.
pub type FaqCategorySeed = (&'static str, &'static str, &'static [FaqArticleSeed]);

/// The help centre: categories in the order shown, each with its articles. Every answer
/// says how Aisle really works; change them when the shop changes.
pub const FAQ: &[FaqCategorySeed] = &[
    (
        "delivery",
        "Delivery",
        &[
            (
                "when-will-my-order-arrive",
                "When will my order arrive?",
                "We pack most orders on the next working day. When your order ships you get an e-mail with the carrier and the tracking number, and the order page shows the estimated delivery date, usually three days after shipping.",
            ),
            (
                "track-my-order",
                "How can I track my order?",
                "Open the order from your account, or from the link in your confirmation e-mail if you ordered as a guest. Once it has shipped, the order page shows the carrier, the tracking number and a timeline of every step: placed, packed, shipped, out for delivery and delivered.",
            ),
            (
                "parcel-late-or-damaged",
                "My parcel is late or damaged. Who can help?",
                "A person can. Use the Help button on every page: chat with us, ask us to call you back at a time that suits you, or write to us with the contact form. Have your order number ready (it starts with A, like A000012); we answer messages within one working day.",
            ),
        ],
    ),
    (
        "returns",
        "Returns and refunds",
        &[
            (
                "how-do-i-return-something",
                "How do I return something?",
                "Once your order has been delivered, open it from your account and request a return, with a short reason. The order then shows \"Return requested\". Send the items back to us; when they arrive, the return is completed and the order shows \"Returned\".",
            ),
            (
                "when-is-my-return-refunded",
                "When do I get my money back for a return?",
                "A return is refunded when the items arrive back with us, which is when your order page shows the return as completed (\"Returned\").",
            ),
            (
                "return-before-delivery",
                "Can I return an order that has not arrived yet?",
                "There is no need: while an order is \"Placed\" or \"Packed\" you can simply cancel it from the order page. Once it has shipped it can no longer be cancelled; wait for it to arrive and then request a return.",
            ),
        ],
    ),
    (
        "payment",
        "Payment",
        &[
            (
                "how-can-i-pay",
                "How can I pay?",
                "You pay on delivery: you pay when the parcel arrives, so nothing is charged when you place the order.",
            ),
            (
                "charged-if-i-cancel",
                "Is anything charged if I cancel?",
                "No. With pay on delivery nothing is charged until the parcel arrives, and a cancelled order is never sent.",
            ),
        ],
    ),
    (
        "changing-an-order",
        "Changing or cancelling an order",
        &[
            (
                "change-my-order",
                "Can I change my order?",
                "While the order is \"Placed\" you can change the quantities, remove items or change the delivery address on the order page; at least one item has to stay (to remove everything, cancel the order). Once the order is packed it can only be cancelled, and after it has shipped neither.",
            ),
            (
                "cancel-an-order",
                "How do I cancel an order?",
                "Open the order page and cancel the order. You can cancel while the order is \"Placed\" or \"Packed\". After it has shipped it can no longer be cancelled or changed; request a return once it has arrived instead.",
            ),
            (
                "changes-while-offline",
                "Can I use Aisle without a connection?",
                "Yes. The catalogue and your recent orders are kept on your device, so you can browse and open them offline. A change you make offline (to your cart or an order) is saved on the device and sent once, when the connection returns. If it can no longer be made, for example because the order was packed in the meantime, you are told why.",
            ),
        ],
    ),
    (
        "privacy",
        "Privacy and your data",
        &[
            (
                "what-is-kept-on-my-device",
                "What does Aisle keep on my device?",
                "To work offline, the app keeps the catalogue, your cart and your recent orders in your browser's storage. Signing out clears your personal data from the device.",
            ),
            (
                "who-can-read-my-chats",
                "Who can read my support chats and messages?",
                "Only you and our customer service team. If you write to us as a guest, your browser keeps a secret key that ties your chats and requests to it, and nobody without that key can read them. When you sign in, they move into your account.",
            ),
            (
                "how-is-my-email-used",
                "What do you use my e-mail address for?",
                "We e-mail you about your orders (confirmation, shipping, delivery and cancellation) and with answers to your messages.",
            ),
        ],
    ),
];

/// Writes the help articles into a database that has none; leaves existing ones (and
/// their votes) alone. `true` when it seeded.
pub async fn seed_if_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let mut tx = crate::platform::db::begin_write(db).await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_categories").fetch_one(&mut *tx).await?;
    if count > 0 {
        return Ok(false);
    }
    for (position, (slug, name, articles)) in FAQ.iter().enumerate() {
        sqlx::query("INSERT INTO faq_categories (slug, name, position) VALUES ($1, $2, $3)")
            .bind(slug)
            .bind(name)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        for (i, (article_slug, question, answer)) in articles.iter().enumerate() {
            sqlx::query("INSERT INTO faq_articles (slug, category_slug, question, answer, position) VALUES ($1, $2, $3, $4, $5)")
                .bind(article_slug)
                .bind(slug)
                .bind(question)
                .bind(answer)
                .bind(i as i64)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_faq_has_five_categories_of_two_or_three_articles_with_unique_slugs() {
        let names: Vec<&str> = FAQ.iter().map(|c| c.0).collect();
        assert_eq!(names, ["delivery", "returns", "payment", "changing-an-order", "privacy"]);
        assert!(FAQ.iter().all(|c| (2..=3).contains(&c.2.len())));
        let slugs: HashSet<&str> = FAQ.iter().flat_map(|c| c.2.iter().map(|a| a.0)).collect();
        assert_eq!(slugs.len(), FAQ.iter().map(|c| c.2.len()).sum::<usize>());
    }
}
