//! Placing an order, in named steps: [`validate`] the lines as sent, find a [`replay`]
//! of the same request, [`price`] every line against the shop as it is now, [`charge`]
//! delivery and VAT by the shop's rules (the same quote the cart showed), authorise the
//! payment, then under the write lock figure it all again, [`reserve`] the stock,
//! [`record`] the order and [`notify`] the shopper. The locked part is one write
//! transaction (see `platform::db::begin_write`), so two buyers of the last unit are
//! served one after the other on any number of instances, and a refusal at any step
//! leaves nothing behind (and voids the authorisation).

use crate::{
    cart,
    catalogue::variants,
    catalogue::writer::{stock_changed, take_stock},
    checkout::payments::{Authorisation, PaymentProvider, PaymentRequest},
    identity::session::Visitor,
    emails::Kind,
    orders::{
        self,
        store::{add_event, load},
    },
    platform::{
        clock,
        db::{self, Tx},
        error::ApiError,
        token,
    },
    AppState,
};
use aisle_domain::{
    checkout::ExpectedLine,
    customer::{parse_quantity, AddressInput, FieldError},
    delivery::{MethodKind, Quote, QuoteError, ShopRules},
    offers::{Discount, OfferLine},
    pricing::totals::{Line, TaxClass},
    order::{Order, OrderStatus},
    Currency, ErrorCode, Lang, Money,
};

pub const MAX_LINES: usize = 50;

pub struct NewOrder<'a> {
    pub email: &'a str,
    pub address: &'a AddressInput,
    pub payment: &'a dyn PaymentProvider,
    pub lines: &'a [ExpectedLine],
    pub delivery: MethodKind,
    /// The discount code the shopper saw applied.
    pub code: Option<&'a str>,
    /// The total the shopper saw, when the request says.
    pub expected_total: Option<i64>,
    /// The terms version the checkout showed, when the request says.
    pub terms_version: Option<i64>,
    /// The store credit the checkout showed taken off, when the request says.
    pub credit: Option<i64>,
    pub idempotency_key: &'a str,
    /// The language the shopper ordered in: every e-mail about the order speaks it.
    pub lang: Lang,
    /// The currency the checkout showed, when the request says: the delivery
    /// country's market must price in it.
    pub currency: Option<Currency>,
}

/// A line priced at what the product costs now.
struct PricedLine {
    product_id: i64,
    variant: Option<crate::catalogue::variants::LineVariant>,
    name: String,
    slug: String,
    unit_price: i64,
    quantity: u32,
    tax: TaxClass,
    category: String,
}

/// Every line priced, in one currency.
struct Priced {
    lines: Vec<PricedLine>,
    currency: Currency,
}

/// What an order comes to, figured from the shop as it is: the terms it accepts, its
/// lines priced, the code it redeems, delivery and VAT, the store credit it spends and
/// what is left for the payment method.
struct Figured {
    terms: i64,
    priced: Priced,
    code: Option<Redeemed>,
    quote: Quote,
    credit: i64,
    due: Money,
}

/// Figures the order in `tx`. The inner `Err` is a refused code: the caller takes it
/// off the cart (once `tx` is gone) so the shopper sees the total without it.
async fn figure(tx: &mut Tx<'_>, state: &AppState, v: &Visitor, new: &NewOrder<'_>) -> Result<Result<Figured, ApiError>, ApiError> {
    let terms = terms(tx, new).await?;
    let market = market(state, new)?;
    let priced = price(tx, new.lines, market).await?;
    let code = match redeemable(tx, state, v, new, &priced, market).await {
        Ok(code) => code,
        Err(refused) => return Ok(Err(refused)),
    };
    let rules = state.rules.in_market(market, state.rules.currency);
    let quote = charge(&rules, new, &priced, code.as_ref().map(|c| c.discount).unwrap_or_default())?;
    // Store credit pays first; the rest is what the payment method is asked for.
    let customer_id = v.customer.as_ref().map(|c| c.id);
    let credit = crate::credit::service::available(tx, customer_id, Money::new(quote.totals.total_minor, priced.currency), new.credit).await?;
    let due = Money::new(quote.totals.total_minor - credit, priced.currency);
    Ok(Ok(Figured { terms, priced, code, quote, credit, due }))
}

/// The market of the delivery country (`None`: the shop's own). A checkout that showed
/// another currency (the shopper changed the country in another tab, say) is refused
/// before anything is priced: its figures mean other money.
fn market<'s>(state: &'s AppState, new: &NewOrder<'_>) -> Result<Option<&'s aisle_domain::market::Market>, ApiError> {
    let market = state.rules.markets.for_country(&new.address.country);
    let currency = state.rules.currency_for(&new.address.country);
    match new.currency {
        Some(shown) if shown != currency => {
            let name = aisle_domain::customer::country::country(&new.address.country).map_or(new.address.country.as_str(), |c| c.name(new.lang));
            Err(ApiError::Conflict {
                code: ErrorCode::CartChanged,
                message: format!("Nothing was charged: orders to {name} are priced in {}, not {}. Please check the prices and place the order again.", currency.code(), shown.code()),
            })
        }
        _ => Ok(market),
    }
}

/// Takes a refused code off the cart and passes on the refusal.
async fn code_refused(state: &AppState, v: &Visitor, refused: ApiError) -> ApiError {
    match crate::cart::store::set_code(&state.db, v, None).await {
        Ok(()) => refused,
        Err(e) => e,
    }
}

/// Places an order, or returns the order already placed with this idempotency key
/// (`true` as the second value when it is such a replay).
///
/// The payment provider may take seconds (a card provider asks its bank), so it is
/// asked outside the write lock that serialises orders: the order is figured first
/// from a plain read, the amount authorised, and then everything is checked again
/// under the lock. A difference there (a price, the stock, a code's last use went
/// meanwhile) voids the authorisation and refuses the order, so nobody is charged for
/// an order that was not placed, nor for one at a total they did not see.
pub async fn place(state: &AppState, v: &Visitor, new: NewOrder<'_>) -> Result<(Order, bool), ApiError> {
    validate(new.lines)?;
    let mut read = state.db.begin().await?;
    if let Some(id) = replay(&mut read, v, &new).await? {
        drop(read);
        return Ok((reload(state, id).await?, true));
    }
    let first = match figure(&mut read, state, v, &new).await? {
        Ok(f) => f,
        Err(refused) => {
            drop(read);
            return Err(code_refused(state, v, refused).await);
        }
    };
    drop(read);
    let request = PaymentRequest { amount: first.due, order_key: new.idempotency_key, email: new.email };
    let authorised = new.payment.authorise(&request).await.map_err(|reason| ApiError::Conflict {
        code: ErrorCode::PaymentRefused,
        message: format!("The payment was not accepted: {reason}. Nothing was charged."),
    })?;
    match place_authorised(state, v, &new, first.due, &authorised).await {
        Ok(placed) => {
            if placed.1 {
                // Another request with this key placed the order meanwhile.
                void(new.payment, &authorised).await;
            }
            Ok(placed)
        }
        Err(e) => {
            void(new.payment, &authorised).await;
            Err(e)
        }
    }
}

/// Releases an authorisation the order did not go through with. A provider that
/// cannot is logged: its own expiry releases the hold.
async fn void(provider: &dyn PaymentProvider, authorised: &Authorisation) {
    if let Err(reason) = provider.void(authorised).await {
        tracing::warn!(method = provider.method().as_str(), reference = authorised.reference().unwrap_or_default(), %reason, "an authorisation was not voided");
    }
}

/// The order placed under the write lock, with the payment authorised for `due`.
async fn place_authorised(state: &AppState, v: &Visitor, new: &NewOrder<'_>, due: Money, authorised: &Authorisation) -> Result<(Order, bool), ApiError> {
    let mut tx = db::begin_write(&state.db).await?;
    if let Some(id) = replay(&mut tx, v, new).await? {
        drop(tx);
        return Ok((reload(state, id).await?, true));
    }
    let f = match figure(&mut tx, state, v, new).await? {
        Ok(f) => f,
        Err(refused) => {
            drop(tx);
            return Err(code_refused(state, v, refused).await);
        }
    };
    if f.due != due {
        return Err(ApiError::Conflict {
            code: ErrorCode::CartChanged,
            message: format!(
                "Nothing was charged: the amount to pay changed to {} while we asked for {}. Please check the total and place the order again.",
                new.lang.money(f.due),
                new.lang.money(due)
            ),
        });
    }
    reserve(&mut tx, &f.priced).await?;
    let id = record(&mut tx, v, new, &f.priced, &f.quote, authorised).await?;
    sqlx::query("UPDATE orders SET terms_version = $1 WHERE id = $2").bind(f.terms).bind(id).execute(&mut *tx).await?;
    let customer_id = v.customer.as_ref().map(|c| c.id);
    crate::credit::service::spend(&mut tx, customer_id, id, Money::new(f.credit, f.priced.currency)).await?;
    // The day the checkout promised, kept for the confirmation and the order page.
    let now = jiff::Timestamp::now().as_second();
    let schedule = crate::checkout::promise::schedule(&state.rules.dispatch, &state.emails.shop.zone(), now);
    let transit = f.quote.offers.iter().find(|o| o.kind == f.quote.method).map_or(0, |o| o.transit_days);
    if let Some(p) = aisle_domain::delivery::promise::promise(&schedule, now, transit) {
        sqlx::query("UPDATE orders SET promised_on = $1 WHERE id = $2").bind(&p.arrives_on).bind(id).execute(&mut *tx).await?;
    }
    if f.credit > 0 && f.due.minor == 0 {
        // Credit paid it all: nothing is awaited or due on delivery.
        sqlx::query("UPDATE orders SET payment_state = $1, paid_at = $2, pay_to = NULL WHERE id = $3")
            .bind(aisle_domain::payment::PaymentState::Paid.as_str())
            .bind(clock::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(code) = &f.code {
        crate::offers::store::redeem(&mut tx, code.id, id, &code.shopper, f.quote.totals.discount_minor).await?;
        sqlx::query("UPDATE orders SET discount_code = $1 WHERE id = $2").bind(&code.code).bind(id).execute(&mut *tx).await?;
    }
    notify(state, &mut tx, id).await?;
    tx.commit().await?;
    stock_changed(state, f.priced.lines.iter().map(|l| l.product_id).collect()).await;
    Ok((reload(state, id).await?, false))
}

async fn reload(state: &AppState, id: i64) -> Result<Order, ApiError> {
    load(&mut *state.db.acquire().await?, id).await?.ok_or_else(|| ApiError::Internal("an order just placed vanished".into()))
}

/// The lines as sent: some, not too many, each quantity possible, each product once.
fn validate(lines: &[ExpectedLine]) -> Result<(), ApiError> {
    if lines.is_empty() {
        return Err(ApiError::bad_request("Your cart is empty."));
    }
    if lines.len() > MAX_LINES {
        return Err(ApiError::bad_request(format!("An order can hold at most {MAX_LINES} different products.")));
    }
    for (i, l) in lines.iter().enumerate() {
        parse_quantity(i64::from(l.quantity))?;
        if lines[..i].iter().any(|o| o.product_id == l.product_id && o.variant_id == l.variant_id) {
            return Err(ApiError::bad_request("A product appears twice in the order."));
        }
    }
    Ok(())
}

/// The order already placed with this idempotency key, if any — but only for the same
/// shopper: anyone else reusing a key is refused.
async fn replay(tx: &mut Tx<'_>, v: &Visitor, new: &NewOrder<'_>) -> Result<Option<i64>, ApiError> {
    let existing: Option<(i64, Option<i64>, String)> = sqlx::query_as("SELECT id, customer_id, email FROM orders WHERE idempotency_key = $1")
        .bind(new.idempotency_key)
        .fetch_optional(&mut **tx)
        .await?;
    let Some((id, customer_id, email)) = existing else { return Ok(None) };
    let same_owner = match &v.customer {
        Some(c) => customer_id == Some(c.id),
        None => customer_id.is_none() && email == new.email,
    };
    if !same_owner {
        return Err(ApiError::Conflict { code: ErrorCode::IdempotencyKeyReused, message: "This request was already used for another order.".into() });
    }
    Ok(Some(id))
}

/// The terms version the order accepts: the newest. A checkout that showed another
/// (staff published new terms meanwhile) is refused, and nothing is charged.
async fn terms(tx: &mut Tx<'_>, new: &NewOrder<'_>) -> Result<i64, ApiError> {
    let current = crate::legal::store::terms_version(tx).await?;
    match new.terms_version {
        Some(seen) if seen != current => Err(ApiError::Conflict {
            code: ErrorCode::CartChanged,
            message: "Nothing was charged: our terms and conditions have changed since you opened the checkout. Please read the new version, then place the order again.".into(),
        }),
        _ => Ok(current),
    }
}

/// Every line checked against the shop as it is now; every difference from what the
/// shopper saw is explained, and then nothing is charged.
async fn price(tx: &mut Tx<'_>, lines: &[ExpectedLine], market: Option<&aisle_domain::market::Market>) -> Result<Priced, ApiError> {
    let mut problems = Vec::new();
    let mut priced = Vec::new();
    let mut currency = None;
    for l in lines {
        let row: Option<(String, String, i64, String, i64, String, String, Option<i64>, String)> = sqlx::query_as(
            "SELECT p.name, p.slug, p.price_minor, p.currency, p.stock, p.tax_class, c.slug, p.compare_at_minor, p.market_prices FROM products p JOIN categories c ON c.id = p.category_id \
             WHERE p.id = $1 AND p.status = 'published'",
        )
                .bind(l.product_id)
                .fetch_optional(&mut **tx)
                .await?;
        let Some((name, slug, mut price, cur, mut stock, tax, category, mut compare_at, overrides)) = row else {
            problems.push("One of the products is no longer sold.".to_string());
            continue;
        };
        // A variant's own price and stock; a product sold in variants is bought as one.
        let variant = match l.variant_id {
            Some(id) => match variants::line_variant(tx, l.product_id, id).await? {
                Some(v) => Some(v),
                None => {
                    problems.push(format!("{name} is no longer sold in the size or colour you chose."));
                    continue;
                }
            },
            None if variants::has_variants(tx, l.product_id).await? => {
                problems.push(format!("{name} comes in several options: please choose one."));
                continue;
            }
            None => None,
        };
        let mut overrides = crate::catalogue::market_prices::read(&overrides)?;
        if let Some(v) = &variant {
            price = v.price_minor;
            compare_at = v.compare_at_minor;
            overrides = v.market_prices.clone();
            stock = v.stock;
        }
        let shown = match &variant {
            Some(v) => format!("{name} ({})", v.title),
            None => name.clone(),
        };
        let home = Currency::parse(&cur).map_err(ApiError::Internal)?;
        // The price in the delivery country's market, as the shopper's catalogue showed it.
        let (price, cur) = match market {
            Some(m) => {
                let (now, _) = m.item(Money::new(price, home), compare_at.map(|w| Money::new(w, home)), &overrides);
                (now.minor, now.currency)
            }
            None => (price, home),
        };
        currency = currency.or(Some(cur));
        if stock <= 0 {
            problems.push(format!("{shown} is sold out."));
        } else if stock < i64::from(l.quantity) {
            problems.push(format!("Only {stock} of {shown} left (you asked for {}).", l.quantity));
        }
        if price != l.unit_price_minor {
            problems.push(format!(
                "{shown} now costs {} (it was {} when you added it).",
                Money::new(price, cur),
                Money::new(l.unit_price_minor, cur)
            ));
        }
        let tax = TaxClass::parse(&tax).ok_or_else(|| ApiError::Internal(format!("unknown tax class {tax}")))?;
        priced.push(PricedLine { product_id: l.product_id, variant, name, slug, unit_price: price, quantity: l.quantity, tax, category });
    }
    if !problems.is_empty() {
        return Err(ApiError::Conflict {
            code: ErrorCode::CartChanged,
            message: format!("Nothing was charged. {} Please check your cart and place the order again.", problems.join(" ")),
        });
    }
    Ok(Priced { lines: priced, currency: currency.unwrap_or(Currency::EUR) })
}

/// A code the order redeems.
struct Redeemed {
    id: i64,
    code: String,
    shopper: String,
    discount: Discount,
}

/// The code sent, checked again now, for this shopper and the lines as priced: known,
/// in its days, under its limits, doing something. Its use is counted with the order.
async fn redeemable(tx: &mut Tx<'_>, state: &AppState, v: &Visitor, new: &NewOrder<'_>, priced: &Priced, market: Option<&aisle_domain::market::Market>) -> Result<Option<Redeemed>, ApiError> {
    let Some(typed) = new.code.filter(|c| !c.trim().is_empty()) else { return Ok(None) };
    let lines: Vec<OfferLine<'_>> = priced
        .lines
        .iter()
        .map(|l| OfferLine { product_id: l.product_id, category_slug: &l.category, amount_minor: l.unit_price * i64::from(l.quantity) })
        .collect();
    let shopper = crate::offers::store::shopper_key(v, new.email);
    match crate::offers::store::check(tx, state, typed, Some(&shopper), &lines, market.map(|m| (m, state.rules.currency))).await {
        Ok((row, _, discount)) => Ok(Some(Redeemed { id: row.id, code: row.code, shopper, discount })),
        Err(refusal) => Err(ApiError::Conflict {
            code: ErrorCode::CartChanged,
            message: format!(
                "Nothing was charged: {} The code is off your cart; please check the total and place the order again.",
                refusal.message(|m| new.lang.money(Money::new(m, priced.currency)), |d| new.lang.day(d))
            ),
        }),
    }
}

/// Delivery and VAT for the lines as priced, by the shop's rules: the quote the cart
/// and checkout showed, computed again. A total other than the one the shopper saw
/// (rules or prices changed meanwhile) is refused, naming both, and nothing is charged.
fn charge(rules: &ShopRules, new: &NewOrder<'_>, priced: &Priced, offer: Discount) -> Result<Quote, ApiError> {
    let lines: Vec<Line> = priced.lines.iter().map(|l| Line { unit_minor: l.unit_price, quantity: l.quantity, tax: l.tax }).collect();
    let country = new.address.country.as_str();
    let quote = rules.quote_paid(country, Some(new.delivery), &lines, offer, Some(new.payment.method())).map_err(|e| match e {
        QuoteError::NotDelivered => {
            let name = aisle_domain::customer::country::country(country).map_or(country, |c| c.name(new.lang));
            ApiError::Invalid(FieldError::new("country", format!("We do not deliver to {name}. Please choose another country.")))
        }
        QuoteError::MethodNotOffered => ApiError::bad_request(format!("{} is not offered for this address. Please choose another way of delivery.", new.delivery.label())),
        QuoteError::Totals(_) => ApiError::bad_request(e.to_string()),
    })?;
    if let Some(seen) = new.expected_total.filter(|seen| *seen != quote.totals.total_minor) {
        return Err(ApiError::Conflict {
            code: ErrorCode::CartChanged,
            message: format!(
                "Nothing was charged: the total is now {}, not the {} you saw. Please check it and place the order again.",
                Money::new(quote.totals.total_minor, priced.currency),
                Money::new(seen, priced.currency)
            ),
        });
    }
    Ok(quote)
}

/// Takes the stock of every line through the catalogue's writer; the `stock >= n`
/// guard there makes overselling impossible however many buyers race.
async fn reserve(tx: &mut Tx<'_>, priced: &Priced) -> Result<(), ApiError> {
    for l in &priced.lines {
        take_stock(tx, l.product_id, l.variant.as_ref().map(|v| v.id), l.quantity).await?;
    }
    Ok(())
}

/// Writes the order, its lines and its first event, and empties the cart. Returns the
/// order's id.
async fn record(tx: &mut Tx<'_>, v: &Visitor, new: &NewOrder<'_>, priced: &Priced, quote: &Quote, authorised: &Authorisation) -> Result<i64, ApiError> {
    let pay_to = match authorised {
        Authorisation::AwaitingTransfer(account) | Authorisation::OnInvoice(account) => Some(serde_json::to_string(account).map_err(|e| ApiError::Internal(e.to_string()))?),
        _ => None,
    };
    let a = new.address;
    let id = crate::identity::store::bind_address!(
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO orders (ship_name, ship_line1, ship_line2, ship_city, ship_postcode, ship_country, \
             number, customer_id, email, status, placed_at, total_minor, currency, payment_method, access_token, idempotency_key, lang, \
             payment_state, pay_to, payment_reference) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'placed', $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        ),
        a,
    )
    .bind(new.idempotency_key)
    .bind(v.customer.as_ref().map(|c| c.id))
    .bind(new.email)
    .bind(clock::now())
    .bind(quote.totals.total_minor)
    .bind(priced.currency.code())
    .bind(new.payment.method().as_str())
    .bind(token::random_token())
    .bind(new.idempotency_key)
    .bind(new.lang.code())
    .bind(new.payment.method().first_state().as_str())
    .bind(pay_to)
    .bind(authorised.reference())
    .fetch_one(&mut **tx)
    .await?;
    let number = format!("A{id:06}");
    sqlx::query("UPDATE orders SET number = $1 WHERE id = $2").bind(&number).bind(id).execute(&mut **tx).await?;
    for (line, l) in (1_i64..).zip(&priced.lines) {
        sqlx::query(
            "INSERT INTO order_items (order_id, product_id, variant_id, variant_title, sku, name, slug, unit_price_minor, quantity, line, tax_class) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(l.product_id)
        .bind(l.variant.as_ref().map_or(0, |v| v.id))
        .bind(l.variant.as_ref().map_or(String::new(), |v| v.title.clone()))
        .bind(l.variant.as_ref().map_or(String::new(), |v| v.sku.clone()))
        .bind(&l.name)
        .bind(&l.slug)
        .bind(l.unit_price)
        .bind(i64::from(l.quantity))
        .bind(line)
        .bind(l.tax.as_str())
        .execute(&mut **tx)
        .await?;
    }
    orders::charges::store(tx, id, quote).await?;
    // A business customer's company and VAT ID, as they are now, for its invoice.
    if let Some(c) = v.customer.as_ref().filter(|c| c.vat_id.is_some()) {
        sqlx::query("UPDATE orders SET buyer_company = $1, buyer_vat_id = $2 WHERE id = $3").bind(&c.company).bind(&c.vat_id).bind(id).execute(&mut **tx).await?;
    }
    add_event(tx, id, OrderStatus::Placed, None).await?;
    cart::store::clear_cart(tx, v).await?;
    Ok(id)
}

/// Queues the confirmation e-mail, sent once the order is committed.
async fn notify(state: &AppState, tx: &mut Tx<'_>, id: i64) -> Result<(), ApiError> {
    orders::emails::send(&state.emails, tx, id, Kind::OrderPlaced).await
}
