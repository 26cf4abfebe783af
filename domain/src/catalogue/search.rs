//! Catalogue search, ranked the way a shopper expects: a product whose name is exactly
//! what they typed comes first, then names that start with it, then names containing
//! the words, then matches in the category or description, and last near-misses (one
//! typo). Every word typed must match somewhere, so adding a word narrows the results.
//!
//! The index is built once from the catalogue and searched in memory. It is pure and
//! runs the same on the server and in the browser.

/// What the index needs of a product.
pub struct SearchDoc<'a> {
    pub id: i64,
    pub name: &'a str,
    pub category: &'a str,
    pub description: &'a str,
}

struct Entry {
    id: i64,
    name: String,
    // Words as ids into the index's vocabulary: matching a query word is then a table
    // lookup per word, not a string comparison per word per product.
    name_words: Vec<u32>,
    category_words: Vec<u32>,
}

#[derive(Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    /// Every distinct word of every product, once.
    vocabulary: Vec<String>,
    /// Whether each vocabulary word occurs in some product's name: only those can be
    /// near-misses (typos count in names only), so only those get the edit distance.
    in_names: Vec<bool>,
    /// For each vocabulary word, the entries whose description has it (ascending).
    /// Descriptions are the long field; walking the postings of the few words a query
    /// word matches beats reading every description's words on every keystroke.
    description_postings: Vec<Vec<u32>>,
}

/// How a vocabulary word matches one query word.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    None,
    Typo,
    Prefix,
    Exact,
}

/// Longest query we look at; anything longer is cut, not refused, as people paste.
pub const MAX_QUERY_CHARS: usize = 200;

// Per-word scores: the field a word matches in, and how well.
const NAME_EXACT: u32 = 100;
const NAME_PREFIX: u32 = 60;
const NAME_TYPO: u32 = 30;
const CATEGORY_EXACT: u32 = 40;
const CATEGORY_PREFIX: u32 = 25;
const DESCRIPTION_EXACT: u32 = 15;
const DESCRIPTION_PREFIX: u32 = 8;
// Whole-query bonuses on the name.
const WHOLE_NAME: u32 = 1000;
const NAME_STARTS_WITH_QUERY: u32 = 200;

impl SearchIndex {
    pub fn new<'a>(docs: impl IntoIterator<Item = SearchDoc<'a>>) -> SearchIndex {
        let mut vocabulary: Vec<String> = Vec::new();
        let mut ids: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let mut intern = |text: &str| -> Vec<u32> {
            words(text)
                .into_iter()
                .map(|w| {
                    *ids.entry(w).or_insert_with_key(|w| {
                        vocabulary.push(w.clone());
                        (vocabulary.len() - 1) as u32
                    })
                })
                .collect()
        };
        let mut entries = Vec::new();
        let mut descriptions: Vec<Vec<u32>> = Vec::new();
        for d in docs {
            entries.push(Entry {
                id: d.id,
                name: normalise(d.name),
                name_words: intern(d.name),
                category_words: intern(d.category),
            });
            descriptions.push(intern(d.description));
        }
        let mut in_names = vec![false; vocabulary.len()];
        for e in &entries {
            for &w in &e.name_words {
                in_names[w as usize] = true;
            }
        }
        let mut description_postings: Vec<Vec<u32>> = vec![Vec::new(); vocabulary.len()];
        for (i, words) in descriptions.iter().enumerate() {
            for &w in words {
                let list = &mut description_postings[w as usize];
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        SearchIndex { entries, vocabulary, in_names, description_postings }
    }

    /// How every vocabulary word matches `q`, computed once per query word.
    fn matches(&self, q: &str) -> Vec<Match> {
        let allowed = typo_budget(q);
        let mut near = NearMiss::new(q, allowed);
        self.vocabulary
            .iter()
            .zip(&self.in_names)
            .map(|(w, &in_name)| {
                if w == q {
                    Match::Exact
                } else if w.starts_with(q) {
                    Match::Prefix
                } else if allowed > 0 && in_name && near.matches(w) {
                    Match::Typo
                } else {
                    Match::None
                }
            })
            .collect()
    }

    /// The best match of a query word (its table) in each entry's description.
    fn description_matches(&self, table: &[Match]) -> Vec<Match> {
        let mut best = vec![Match::None; self.entries.len()];
        for (w, m) in table.iter().enumerate() {
            if matches!(m, Match::Exact | Match::Prefix) {
                for &i in &self.description_postings[w] {
                    let b = &mut best[i as usize];
                    *b = (*b).max(*m);
                }
            }
        }
        best
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Returns the ids of every matching product, best first. Ties are broken by name and
    /// then id so the order is stable from one keystroke to the next.
    pub fn search(&self, query: &str) -> Vec<i64> {
        self.search_top(query, usize::MAX).0
    }

    /// The best `limit` matches, best first, and how many products match in all. Only
    /// the best are sorted: a one-letter query matches thousands of products, and
    /// sorting them all was most of its time.
    pub fn search_top(&self, query: &str, limit: usize) -> (Vec<i64>, usize) {
        let mut hits = self.hits(query);
        let total = hits.len();
        best_first(&mut hits, limit);
        (hits.into_iter().map(|(_, e)| e.id).collect(), total)
    }

    /// The best `limit` matches, best first, and every match in no particular order:
    /// what a results page with its filters' counts needs, scored once.
    pub fn search_top_and_all(&self, query: &str, limit: usize) -> (Vec<i64>, Vec<i64>) {
        let mut hits = self.hits(query);
        let all = hits.iter().map(|(_, e)| e.id).collect();
        best_first(&mut hits, limit);
        (hits.into_iter().map(|(_, e)| e.id).collect(), all)
    }

    /// Every entry matching `query`, with its score, in the index's order.
    fn hits(&self, query: &str) -> Vec<(u32, &Entry)> {
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let q_words = words(&query);
        if q_words.is_empty() {
            return Vec::new();
        }
        let q_whole = q_words.join(" ");
        let tables: Vec<(Vec<Match>, Vec<Match>)> = q_words
            .iter()
            .map(|q| {
                let table = self.matches(q);
                let in_descriptions = self.description_matches(&table);
                (table, in_descriptions)
            })
            .collect();
        self.entries.iter().enumerate().filter_map(|(i, e)| score(e, i, &tables, &q_whole).map(|s| (s, e))).collect()
    }
}

/// Keeps the best `limit` hits, sorted best first. Ties are broken by name and then id
/// so the order is stable from one keystroke to the next.
fn best_first(hits: &mut Vec<(u32, &Entry)>, limit: usize) {
    let order = |(sa, a): &(u32, &Entry), (sb, b): &(u32, &Entry)| sb.cmp(sa).then_with(|| a.name.cmp(&b.name)).then(a.id.cmp(&b.id));
    if limit < hits.len() {
        hits.select_nth_unstable_by(limit, order);
        hits.truncate(limit);
    }
    hits.sort_by(order);
}

fn score(e: &Entry, i: usize, tables: &[(Vec<Match>, Vec<Match>)], q_whole: &str) -> Option<u32> {
    let mut total = 0;
    for (table, in_descriptions) in tables {
        total += word_score(e, table, in_descriptions[i])?;
    }
    if e.name == q_whole {
        total += WHOLE_NAME;
    } else if e.name.starts_with(q_whole) {
        total += NAME_STARTS_WITH_QUERY;
    }
    Some(total)
}

/// The best score one query word (its match table) earns in this entry, or `None` if
/// it matches nowhere. A near-miss counts only in the name, and only when the word
/// matches nowhere better.
fn word_score(e: &Entry, table: &[Match], description: Match) -> Option<u32> {
    let best_in = |words: &[u32]| words.iter().map(|&w| table[w as usize]).max().unwrap_or(Match::None);
    let name = best_in(&e.name_words);
    let best = match name {
        Match::Exact => NAME_EXACT,
        Match::Prefix => NAME_PREFIX,
        _ => 0,
    }
    .max(match best_in(&e.category_words) {
        Match::Exact => CATEGORY_EXACT,
        Match::Prefix => CATEGORY_PREFIX,
        _ => 0,
    })
    .max(match description {
        Match::Exact => DESCRIPTION_EXACT,
        Match::Prefix => DESCRIPTION_PREFIX,
        _ => 0,
    });
    let best = if best == 0 && name == Match::Typo { NAME_TYPO } else { best };
    (best > 0).then_some(best)
}

/// Short words get no typo allowance (too many false friends); longer ones one or two.
fn typo_budget(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Lower-cases and folds the common Latin accents so "creme" finds "Crème".
pub fn normalise(s: &str) -> String {
    words(s).join(" ")
}

fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        let c = fold(c);
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        _ => c,
    }
}

/// Whether a word is within `max` single-character edits (insert, delete, substitute,
/// or swap of two neighbours) of the query word. Made once per query word and reused for
/// every vocabulary word, so checking thousands of words allocates nothing.
struct NearMiss {
    q: Vec<char>,
    max: usize,
    word: Vec<char>,
    rows: [Vec<usize>; 3],
}

impl NearMiss {
    fn new(q: &str, max: usize) -> NearMiss {
        let q: Vec<char> = q.chars().collect();
        let n = q.len() + 1;
        NearMiss { q, max, word: Vec::new(), rows: [vec![0; n], vec![0; n], vec![0; n]] }
    }

    fn matches(&mut self, w: &str) -> bool {
        // Lengths first: most words are ruled out without a single edit counted.
        let len = w.chars().count();
        if len.abs_diff(self.q.len()) > self.max {
            return false;
        }
        self.word.clear();
        self.word.extend(w.chars());
        within_edits(&self.word, &self.q, self.max, &mut self.rows)
    }
}

/// Optimal string alignment distance `a` → `b` is at most `max`, over three rolling rows
/// of `b.len() + 1`; stops as soon as a whole row is over `max`.
fn within_edits(a: &[char], b: &[char], max: usize, rows: &mut [Vec<usize>; 3]) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let [prev2, prev, cur] = rows;
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return false;
        }
        std::mem::swap(prev2, prev);
        std::mem::swap(prev, cur);
    }
    prev[b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        let docs = [
            (1, "Blue Mug", "Kitchen", "A stoneware mug for tea."),
            (2, "Mug Rack", "Kitchen", "Holds six mugs."),
            (3, "Blue Mug Deluxe", "Kitchen", "A bigger blue mug."),
            (4, "Garden Hose", "Garden", "Twenty metres, blue."),
            (5, "Crème Brûlée Torch", "Kitchen", "For caramelising sugar."),
            (6, "Teapot", "Kitchen", "Brews four cups."),
        ];
        SearchIndex::new(docs.iter().map(|&(id, name, category, description)| SearchDoc { id, name, category, description }))
    }

    #[test]
    fn exact_name_comes_first_then_prefix_then_other_fields() {
        let ids = index().search("blue mug");
        assert_eq!(ids[0], 1, "exact name first");
        assert_eq!(ids[1], 3, "name starting with the query next");
        // The hose only mentions blue in its description and has no "mug": excluded.
        assert!(!ids.contains(&4));
    }

    #[test]
    fn every_word_must_match() {
        assert_eq!(index().search("mug rack"), vec![2]);
        assert!(index().search("mug bicycle").is_empty());
    }

    #[test]
    fn prefixes_match_while_typing() {
        let ids = index().search("tea");
        assert_eq!(ids[0], 6, "name prefix beats description word");
        assert!(ids.contains(&1), "description word 'tea' still matches");
    }

    #[test]
    fn one_typo_is_forgiven_on_longer_words() {
        assert_eq!(index().search("tepot"), vec![6]);
        assert_eq!(index().search("garedn"), vec![4], "swapped letters");
        assert!(index().search("mig").is_empty(), "no typos on short words");
    }

    #[test]
    fn exact_and_prefix_rank_above_typo() {
        let docs = [(1, "Lamp", "Home", ""), (2, "Lamps Set", "Home", ""), (3, "Camp Chair", "Garden", "")];
        let idx = SearchIndex::new(docs.iter().map(|&(id, name, category, description)| SearchDoc { id, name, category, description }));
        assert_eq!(idx.search("lamp"), vec![1, 2, 3]);
    }

    #[test]
    fn accents_and_case_are_folded() {
        assert_eq!(index().search("CREME brulee"), vec![5]);
    }

    #[test]
    fn empty_and_punctuation_only_queries_find_nothing() {
        assert!(index().search("").is_empty());
        assert!(index().search("  ,.;  ").is_empty());
    }

    #[test]
    fn huge_and_odd_queries_do_not_panic() {
        let _ = index().search(&"a".repeat(100_000));
        let _ = index().search("💥 \u{0} \u{202e}mug");
        assert!(index().search("category").is_empty());
    }

    #[test]
    fn edit_distance_is_bounded() {
        let within = |a: &str, b: &str, max| NearMiss::new(b, max).matches(a);
        assert!(within("garden", "garden", 0));
        assert!(within("garden", "gardn", 1));
        assert!(within("garden", "gadren", 2));
        assert!(!within("garden", "kitchen", 2));
        // One checker reused across words gives each its own answer.
        let mut near = NearMiss::new("teapot", 1);
        assert!(near.matches("teapto"));
        assert!(!near.matches("kettle"));
        assert!(near.matches("teapots"));
    }

    #[test]
    fn description_words_match_through_their_postings() {
        let index = index();
        // "stoneware" is only in the Blue Mug's description; "mugs" only in the rack's.
        assert_eq!(index.search("stoneware"), vec![1]);
        assert_eq!(index.search("stonew"), vec![1]);
        assert!(index.search("mugs").contains(&2));
        // A typo is forgiven in a name, never in a description.
        assert!(index.search("stonewere").is_empty());
    }

    #[test]
    fn the_best_few_are_the_head_of_the_full_ranking() {
        let index = index();
        for q in ["mug", "blue", "k", "kitchen", "tea", "zzz"] {
            let all = index.search(q);
            for limit in [0, 1, 2, 3, 10] {
                let (top, total) = index.search_top(q, limit);
                assert_eq!(total, all.len(), "{q}: total");
                assert_eq!(top, all.iter().copied().take(limit).collect::<Vec<_>>(), "{q}: best {limit}");
            }
        }
    }
}
