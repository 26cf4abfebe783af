//! Categories as a tree: each names its parent (none for the top level), siblings keep
//! the shop's order. The API checks a move with [`check_parent`], and both sides walk
//! the tree with the same functions: the header shows the top level, a category page
//! lists its own products and every descendant's.

use std::collections::HashMap;

/// Top level, a child, a grandchild: deeper trees are hard to show on a phone and no
/// small shop needs them.
pub const MAX_DEPTH: usize = 3;

/// A category's place in the tree.
pub trait Branch {
    fn id(&self) -> i64;
    fn parent(&self) -> Option<i64>;
}

/// The categories depth first, each followed by its children, with its depth (0 for the
/// top level). Siblings keep the order they came in. A category whose parent is missing,
/// or that a broken tree leaves unreachable, comes last at the top level: nothing is
/// ever dropped.
pub fn arrange<T: Branch>(items: Vec<T>) -> Vec<(usize, T)> {
    let ids: HashMap<i64, usize> = items.iter().enumerate().map(|(i, c)| (c.id(), i)).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, c) in items.iter().enumerate() {
        let parent = c.parent().filter(|p| ids.contains_key(p) && *p != c.id());
        children.entry(parent).or_default().push(i);
    }
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(items.len());
    let mut seen = vec![false; items.len()];
    let walk = |start: usize, order: &mut Vec<(usize, usize)>, seen: &mut Vec<bool>| {
        let mut stack = vec![(start, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            order.push((i, depth));
            if let Some(kids) = children.get(&Some(items[i].id())) {
                stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
            }
        }
    };
    for root in children.get(&None).cloned().unwrap_or_default() {
        walk(root, &mut order, &mut seen);
    }
    for i in 0..items.len() {
        if !seen[i] {
            walk(i, &mut order, &mut seen);
        }
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|(i, depth)| Some((depth, slots[i].take()?))).collect()
}

/// `id` and every category under it.
pub fn descendants<T: Branch>(items: &[T], id: i64) -> Vec<i64> {
    let mut found = vec![id];
    let mut next = 0;
    while next < found.len() {
        let at = found[next];
        let kids: Vec<i64> = items.iter().filter(|c| c.parent() == Some(at) && !found.contains(&c.id())).map(Branch::id).collect();
        found.extend(kids);
        next += 1;
    }
    found
}

/// The way from the top level down to `id`'s parent, top first: a page's breadcrumb.
pub fn ancestors<T: Branch>(items: &[T], id: i64) -> Vec<i64> {
    let parent_of = |id: i64| items.iter().find(|c| c.id() == id).and_then(Branch::parent);
    let mut trail = Vec::new();
    let mut at = parent_of(id);
    while let Some(p) = at {
        if p == id || trail.contains(&p) || trail.len() > items.len() {
            break;
        }
        trail.push(p);
        at = parent_of(p);
    }
    trail.reverse();
    trail
}

/// Each category's products, its own and every descendant's, keeping the order
/// `products` (product id, category id) come in: what a category page pages through.
/// A product of a category not in `items` is under none.
pub fn shelves<T: Branch>(items: &[T], products: &[(i64, i64)]) -> HashMap<i64, Vec<i64>> {
    // Every category a product's own category counts towards: itself and its ancestors.
    let above: HashMap<i64, Vec<i64>> = items
        .iter()
        .map(|c| {
            let mut ids = ancestors(items, c.id());
            ids.push(c.id());
            (c.id(), ids)
        })
        .collect();
    let mut shelves: HashMap<i64, Vec<i64>> = items.iter().map(|c| (c.id(), Vec::new())).collect();
    for (product, category) in products {
        for id in above.get(category).into_iter().flatten() {
            shelves.entry(*id).or_default().push(*product);
        }
    }
    shelves
}

/// Why a category cannot go under `parent`, or Ok. `id` is None for a new category.
pub fn check_parent<T: Branch>(items: &[T], id: Option<i64>, parent: Option<i64>) -> Result<(), String> {
    let Some(parent) = parent else { return Ok(()) };
    if !items.iter().any(|c| c.id() == parent) {
        return Err("There is no such parent category.".into());
    }
    let below = match id {
        Some(id) if descendants(items, id).contains(&parent) => {
            return Err("A category cannot go inside itself or one of its own subcategories.".into());
        }
        Some(id) => height(items, id),
        None => 1,
    };
    if ancestors(items, parent).len() + 1 + below > MAX_DEPTH {
        return Err(format!("Categories go {MAX_DEPTH} levels deep at most: choose a parent higher up."));
    }
    Ok(())
}

/// Levels from `id` down to its deepest descendant, `id` itself counting 1.
fn height<T: Branch>(items: &[T], id: i64) -> usize {
    let mut level = vec![id];
    let mut levels = 0;
    while !level.is_empty() && levels <= items.len() {
        levels += 1;
        level = items.iter().filter(|c| c.parent().is_some_and(|p| level.contains(&p))).map(Branch::id).collect();
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, PartialEq)]
    struct C(i64, Option<i64>);
    impl Branch for C {
        fn id(&self) -> i64 {
            self.0
        }
        fn parent(&self) -> Option<i64> {
            self.1
        }
    }

    fn shop() -> Vec<C> {
        // Books › Fiction › Crime, Books › Cookery, Garden
        vec![C(1, None), C(2, Some(1)), C(3, Some(2)), C(4, Some(1)), C(5, None)]
    }

    #[test]
    fn arranges_depth_first_keeping_sibling_order() {
        let order: Vec<(usize, i64)> = arrange(shop()).into_iter().map(|(d, c)| (d, c.0)).collect();
        assert_eq!(order, vec![(0, 1), (1, 2), (2, 3), (1, 4), (0, 5)]);
    }

    #[test]
    fn a_category_and_its_descendants() {
        assert_eq!(descendants(&shop(), 1), vec![1, 2, 4, 3]);
        assert_eq!(descendants(&shop(), 3), vec![3]);
        assert_eq!(ancestors(&shop(), 3), vec![1, 2]);
        assert_eq!(ancestors(&shop(), 5), Vec::<i64>::new());
    }

    #[test]
    fn refuses_a_circle_a_missing_parent_and_a_fourth_level() {
        let s = shop();
        assert!(check_parent(&s, Some(1), Some(3)).unwrap_err().contains("inside itself"));
        assert!(check_parent(&s, Some(2), Some(2)).unwrap_err().contains("inside itself"));
        assert!(check_parent(&s, None, Some(99)).unwrap_err().contains("no such"));
        assert!(check_parent(&s, None, Some(3)).unwrap_err().contains("3 levels"));
        // Fiction (two levels) under Garden makes three: fine; under Cookery, four.
        assert!(check_parent(&s, Some(2), Some(5)).is_ok());
        assert!(check_parent(&s, Some(2), Some(4)).is_err());
        assert!(check_parent(&s, Some(3), None).is_ok());
    }

    #[test]
    fn a_shelf_holds_its_own_and_its_descendants_products_in_their_order() {
        // Products 10..=15 in the order a page shows them; 15 is in no known category.
        let products = [(10, 3), (11, 5), (12, 1), (13, 4), (14, 2), (15, 99)];
        let shelves = shelves(&shop(), &products);
        assert_eq!(shelves[&1], vec![10, 12, 13, 14]);
        assert_eq!(shelves[&2], vec![10, 14]);
        assert_eq!(shelves[&3], vec![10]);
        assert_eq!(shelves[&5], vec![11]);
        assert_eq!(shelves.len(), 5);
    }

    fn forest() -> impl Strategy<Value = Vec<C>> {
        // Any parents at all, circles and dangling ones included.
        (1usize..30).prop_flat_map(|n| proptest::collection::vec(proptest::option::of(1i64..=(n as i64 + 3)), n)).prop_map(|parents| {
            parents.into_iter().enumerate().map(|(i, p)| C(i as i64 + 1, p)).collect()
        })
    }

    /// Trees without circles: a category's parent always comes before it.
    fn tree() -> impl Strategy<Value = Vec<C>> {
        proptest::collection::vec(any::<prop::sample::Index>(), 1..20).prop_map(|picks| {
            picks.into_iter().enumerate().map(|(i, pick)| C(i as i64 + 1, (i > 0 && pick.index(3) > 0).then(|| pick.index(i) as i64 + 1))).collect()
        })
    }

    proptest! {
        #[test]
        fn arrange_keeps_every_category_once(items in forest()) {
            let mut ids: Vec<i64> = arrange(items.clone()).into_iter().map(|(_, c)| c.0).collect();
            ids.sort_unstable();
            prop_assert_eq!(ids, items.iter().map(|c| c.0).collect::<Vec<_>>());
        }

        #[test]
        fn a_shelf_is_what_its_descendants_hold(items in tree(), products in proptest::collection::vec(1i64..22, 0..60)) {
            let products: Vec<(i64, i64)> = products.into_iter().enumerate().map(|(i, c)| (i as i64, c)).collect();
            let shelves = shelves(&items, &products);
            for c in &items {
                let under = descendants(&items, c.0);
                let expected: Vec<i64> = products.iter().filter(|(_, cat)| under.contains(cat)).map(|(p, _)| *p).collect();
                prop_assert_eq!(&shelves[&c.0], &expected);
            }
        }

        #[test]
        fn moves_that_pass_the_check_never_make_a_circle_or_a_fourth_level(start in forest(), moves in proptest::collection::vec((1i64..30, proptest::option::of(1i64..30)), 0..40)) {
            // Start from the well-formed part: only parents that pass the check.
            let mut tree: Vec<C> = Vec::new();
            for c in start {
                let parent = c.1.filter(|_| check_parent(&tree, None, c.1).is_ok());
                tree.push(C(c.0, parent));
            }
            for (id, parent) in moves {
                if tree.iter().any(|c| c.0 == id) && check_parent(&tree, Some(id), parent).is_ok() {
                    if let Some(c) = tree.iter_mut().find(|c| c.0 == id) { c.1 = parent; }
                }
            }
            for (depth, c) in arrange(tree.clone()) {
                prop_assert!(depth < MAX_DEPTH, "{:?} at depth {}", c, depth);
                prop_assert!(!ancestors(&tree, c.0).contains(&c.0));
            }
        }
    }
}
