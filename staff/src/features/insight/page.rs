//! `/staff/insight`: how the shop is doing — orders and revenue per day, the funnel
//! from a product view to an order, abandoned carts, searches that found nothing, FAQ
//! answers voted unhelpful, first-response times and ratings. Charts are SVG drawn
//! here; every figure is also written as text for screen readers and print.

use super::api;
use crate::{
    platform::{http::ApiError, lang::fill},
    tr,
    tr_now,
    ui::{set_title, Loading},
};
use aisle_domain::{personal::{DayFigures, Funnel, Insight}, Money};
use leptos::{prelude::*, task::spawn_local};

#[component]
pub fn InsightView() -> impl IntoView {
    set_title(tr_now!(insight_title));
    let days = RwSignal::new(30u32);
    let data = RwSignal::new(None::<Result<Insight, ApiError>>);
    Effect::new(move |_| {
        let n = days.get();
        spawn_local(async move { data.set(Some(api::staff_insight(n).await)) });
    });
    view! {
        <h1>{tr!(insight_title)}</h1>
        <div class="field">
            <label for="insight-days">{tr!(insight_period)}</label>
            <select id="insight-days" on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(30))>
                <option value="7">{tr!(insight_last_7)}</option>
                <option value="30" selected=true>{tr!(insight_last_30)}</option>
                <option value="90">{tr!(insight_last_90)}</option>
            </select>
        </div>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p role="alert">{e.message}</p> }.into_any(),
            Some(Ok(i)) => view! { <Figures i/> }.into_any(),
        }}
    }
}

#[component]
fn Figures(i: Insight) -> impl IntoView {
    let orders: u32 = i.days.iter().map(|d| d.orders).sum();
    let revenue = i.days.iter().fold(None::<Money>, |acc, d| Some(match acc {
        None => d.revenue,
        Some(m) => Money { minor: m.minor + d.revenue.minor, ..m },
    }));
    let r = i.ratings;
    view! {
        <div class="insight" data-testid="insight">
            <section class="panel" aria-labelledby="per-day-h">
                <h2 id="per-day-h">{tr!(insight_per_day)}</h2>
                <p data-testid="insight-totals">
                    {match revenue {
                        // "1 order", not "1 orders" (German too: "1 Bestellung").
                        Some(m) if orders == 1 => fill(tr_now!(insight_totals_1), &[("revenue", &crate::platform::lang::money(m))]),
                        Some(m) => fill(tr_now!(insight_totals), &[("orders", &orders), ("revenue", &crate::platform::lang::money(m))]),
                        None => fill(tr_now!(insight_totals_none), &[("orders", &orders)]),
                    }}
                </p>
                <DayChart days=i.days.clone()/>
            </section>
            <section class="panel" aria-labelledby="funnel-h">
                <h2 id="funnel-h">{tr!(insight_funnel)}</h2>
                <FunnelChart f=i.funnel/>
                <p data-testid="insight-abandoned">{format!("Abandoned carts (untouched for a day): {}", i.abandoned_carts)}</p>
            </section>
            <section class="panel" aria-labelledby="nothing-h">
                <h2 id="nothing-h">{tr!(insight_no_results)}</h2>
                {if i.searches_without_results.is_empty() { view! { <p>{tr!(insight_none)}</p> }.into_any() } else { view! {
                    <ol data-testid="insight-no-results">
                        {i.searches_without_results.into_iter().map(|s| view! { <li>{if s.count == 1 { fill(tr_now!(insight_search_once), &[("text", &s.text)]) } else { fill(tr_now!(insight_search_times), &[("text", &s.text), ("n", &s.count)]) }}</li> }).collect_view()}
                    </ol>
                }.into_any() }}
            </section>
            <section class="panel" aria-labelledby="faq-h">
                <h2 id="faq-h">{tr!(insight_faq)}</h2>
                {if i.unhelpful_faq.is_empty() { view! { <p>{tr!(insight_none)}</p> }.into_any() } else { view! {
                    <ul data-testid="insight-unhelpful">
                        {i.unhelpful_faq.into_iter().map(|f| view! { <li>{fill(tr_now!(insight_faq_votes), &[("question", &f.question), ("yes", &f.helpful), ("no", &f.unhelpful)])}</li> }).collect_view()}
                    </ul>
                }.into_any() }}
            </section>
            <section class="panel" aria-labelledby="resp-h">
                <h2 id="resp-h">{tr!(insight_first_response)}</h2>
                <p data-testid="insight-response">
                    {{
                        let median = |secs: Option<i64>| secs.map(|s| fill(tr_now!(insight_median), &[("wait", &crate::platform::lang::wait(s))])).unwrap_or_else(|| tr_now!(insight_no_data).to_string());
                        fill(tr_now!(insight_response), &[("chats", &median(i.first_response.chat_median_secs)), ("messages", &median(i.first_response.ticket_median_secs))])
                    }}
                </p>
            </section>
            <section class="panel" aria-labelledby="ratings-h">
                <h2 id="ratings-h">{tr!(insight_ratings)}</h2>
                <p data-testid="insight-ratings">
                    {match r.average {
                        Some(avg) => {
                            let avg = crate::platform::lang::lang().decimal(avg, 1);
                            if r.count == 1 { fill(tr_now!(insight_ratings_one), &[("avg", &avg)]) } else { fill(tr_now!(insight_ratings_many), &[("n", &r.count), ("avg", &avg)]) }
                        }
                        None => tr_now!(insight_no_ratings).to_string(),
                    }}
                </p>
                <BarChart label=tr_now!(insight_by_stars) bars=(1..=5).map(|s| (format!("{s}★"), r.by_stars[s - 1] as f64, r.by_stars[s - 1].to_string())).collect()/>
            </section>
        </div>
    }
}

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 160.0;

/// Orders per day as bars; revenue per day as a line over them.
#[component]
fn DayChart(days: Vec<DayFigures>) -> impl IntoView {
    let n = days.len().max(1) as f64;
    let max_orders = days.iter().map(|d| d.orders).max().unwrap_or(0).max(1) as f64;
    let max_revenue = days.iter().map(|d| d.revenue.minor).max().unwrap_or(0).max(1) as f64;
    let slot = CHART_W / n;
    let bar = (slot * 0.7).max(1.0);
    let points: String = days
        .iter()
        .enumerate()
        .map(|(i, d)| format!("{:.1},{:.1}", i as f64 * slot + slot / 2.0, CHART_H - d.revenue.minor as f64 / max_revenue * (CHART_H - 10.0)))
        .collect::<Vec<_>>()
        .join(" ");
    let day_text = |d: &DayFigures| fill(if d.orders == 1 { tr_now!(insight_day_1) } else { tr_now!(insight_day) }, &[("day", &crate::platform::clock::day(&d.day)), ("orders", &d.orders), ("revenue", &crate::platform::lang::money(d.revenue))]);
    let summary = days.iter().filter(|d| d.orders > 0).map(day_text).collect::<Vec<_>>().join("; ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {CHART_W} {}", CHART_H + 20.0) role="img" aria-label=format!("{} {summary}", tr_now!(insight_days_chart)) data-testid="chart-days">
            {days.iter().enumerate().map(|(i, d)| {
                let h = d.orders as f64 / max_orders * (CHART_H - 10.0);
                view! {
                    <rect class="bar" x=format!("{:.1}", i as f64 * slot + (slot - bar) / 2.0) y=format!("{:.1}", CHART_H - h)
                        width=format!("{bar:.1}") height=format!("{h:.1}")>
                        <title>{day_text(d)}</title>
                    </rect>
                }
            }).collect_view()}
            <polyline class="line" points=points fill="none"/>
            <text x="0" y=format!("{}", CHART_H + 16.0) class="axis">{days.first().map(|d| crate::platform::clock::day(&d.day)).unwrap_or_default()}</text>
            <text x=format!("{CHART_W}") y=format!("{}", CHART_H + 16.0) class="axis" text-anchor="end">{days.last().map(|d| crate::platform::clock::day(&d.day)).unwrap_or_default()}</text>
        </svg>
    }
}

#[component]
fn FunnelChart(f: Funnel) -> impl IntoView {
    let steps = [
        (tr_now!(insight_viewed), f.viewed),
        (tr_now!(insight_added), f.added_to_cart),
        (tr_now!(insight_started), f.started_checkout),
        (tr_now!(insight_ordered), f.ordered),
    ];
    let first = f.viewed.max(1) as f64;
    let bars = steps
        .iter()
        .map(|(label, n)| (label.to_string(), *n as f64, format!("{n} ({:.0}%)", *n as f64 / first * 100.0)))
        .collect();
    view! {
        <div data-testid="insight-funnel">
            <BarChart label=tr_now!(insight_funnel_chart) bars/>
        </div>
    }
}

/// Horizontal bars with their labels and values written beside them.
#[component]
fn BarChart(label: &'static str, bars: Vec<(String, f64, String)>) -> impl IntoView {
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1.0);
    let row = 28.0;
    let height = bars.len() as f64 * row;
    let text = bars.iter().map(|(l, _, v)| format!("{l}: {v}")).collect::<Vec<_>>().join("; ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {CHART_W} {height}") role="img" aria-label=format!("{label}. {text}")>
            {bars.into_iter().enumerate().map(|(i, (l, n, v))| {
                let y = i as f64 * row;
                let w = n / max * (CHART_W - 260.0);
                view! {
                    <text x="0" y=format!("{:.1}", y + 18.0) class="axis">{l}</text>
                    <rect class="bar" x="150" y=format!("{:.1}", y + 4.0) width=format!("{w:.1}") height="20"/>
                    <text x=format!("{:.1}", 156.0 + w) y=format!("{:.1}", y + 18.0) class="value">{v}</text>
                }
            }).collect_view()}
        </svg>
    }
}
