//! Import circles between modules, which `cargo xtask test` refuses.
//!
//! A module here is one source file (inline `mod tests { … }` blocks are left out: test
//! code may look anywhere). Module A depends on module B when A's code names an item
//! that B defines: through a `use`, or a path written out (`crate::platform::db::Db`,
//! `super::store::load`, `<crate::app::layout::Footer/>` in a view). Names are followed
//! through re-exports (`pub use status::*`, `pub use pricing::money::Money`) to where
//! they are defined, and `#[macro_export]` macros to the file that defines them. A
//! parent's `mod child;` is ownership, not a dependency; a parent that calls into its
//! child (a slice's `router()`), or a child that names its parent's items, depends.
//!
//! A circle means two parts of the code cannot be understood, changed or moved apart;
//! the usual mend is to move the shared piece (a type, a helper) into a module of its
//! own that both sides name, or to invert a call into a subscriber list.
//!
//! This reads source text, not the compiler's resolution: it knows `use` trees, paths,
//! re-exports and macro exports, which is how this workspace names things. Run it alone
//! with `cargo xtask cycles`.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    fs,
    path::{Path, PathBuf},
};

/// Every crate of the workspace (see the module's comment).
pub fn check_workspace() -> crate::sh::Result {
    let root = crate::sh::root();
    let crates = [
        CrateRoot { name: "aisle-api", entry: root.join("api/src/lib.rs") },
        CrateRoot { name: "aisle-domain", entry: root.join("domain/src/lib.rs") },
        CrateRoot { name: "aisle (storefront)", entry: root.join("src/lib.rs") },
        CrateRoot { name: "aisle-staff (back office)", entry: root.join("staff/src/lib.rs") },
        CrateRoot { name: "aisle-web", entry: root.join("web/src/lib.rs") },
        CrateRoot { name: "xtask", entry: root.join("xtask/src/main.rs") },
    ];
    println!("{}", check(&crates)?);
    Ok(())
}

/// One crate to check: a name for messages and its root file (`lib.rs`, `main.rs`).
pub struct CrateRoot {
    pub name: &'static str,
    pub entry: PathBuf,
}

#[derive(Debug)]
struct Module {
    file: PathBuf,
    /// The file's code without comments, string literals and test modules.
    code: String,
    /// Items the file defines (functions, types, constants, modules, macros).
    defs: BTreeSet<String>,
    /// `pub use` re-exports: the name they export and the path it points at, as written.
    reexports: Vec<(String, Vec<String>)>,
    /// `pub use x::*`: the paths of glob re-exports, as written.
    globs: Vec<Vec<String>>,
    children: BTreeSet<String>,
    /// Names the file's `use` statements bind, and the paths they stand for.
    aliases: HashMap<String, Vec<String>>,
}

/// The modules of one crate, by path from the root (`[]` is the root, `["platform",
/// "db"]` is `crate::platform::db`).
struct Tree {
    modules: BTreeMap<Vec<String>, Module>,
    /// `#[macro_export]` macros and the module whose file defines them.
    macros: HashMap<String, Vec<String>>,
}

/// Checks every crate; `Err` lists each circle with the names that tie it.
pub fn check(crates: &[CrateRoot]) -> Result<String, String> {
    let mut report = Vec::new();
    let mut modules = 0;
    for krate in crates {
        let tree = Tree::read(&krate.entry)?;
        modules += tree.modules.len();
        for circle in tree.circles() {
            report.push(format!("{}: {circle}", krate.name));
        }
    }
    if report.is_empty() {
        Ok(format!("no import circles between the {modules} modules of {} crates", crates.len()))
    } else {
        Err(format!("import circles between modules:\n{}", report.join("\n")))
    }
}

impl Tree {
    fn read(entry: &Path) -> Result<Tree, String> {
        let mut tree = Tree { modules: BTreeMap::new(), macros: HashMap::new() };
        tree.add(Vec::new(), entry.to_path_buf(), true)?;
        Ok(tree)
    }

    fn add(&mut self, path: Vec<String>, file: PathBuf, dir_owner: bool) -> Result<(), String> {
        let text = fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let code = without_tests(&strip(&text));
        let defs = definitions(&code);
        let (reexports, globs) = reexports(&code);
        for m in exported_macros(&code) {
            self.macros.insert(m, path.clone());
        }
        let children = child_modules(&code);
        // `lib.rs`, `main.rs` and `mod.rs` own the folder they sit in; `foo.rs` owns `foo/`.
        let dir = if dir_owner {
            file.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            file.with_extension("")
        };
        let aliases = use_paths(&code).into_iter().filter(|(name, _)| name != "*").collect();
        self.modules.insert(path.clone(), Module { file, code, defs, reexports, globs, children: children.iter().cloned().collect(), aliases });
        for child in children {
            let (flat, nested) = (dir.join(format!("{child}.rs")), dir.join(&child).join("mod.rs"));
            let mut child_path = path.clone();
            child_path.push(child.clone());
            if flat.exists() {
                self.add(child_path, flat, false)?;
            } else if nested.exists() {
                self.add(child_path, nested, true)?;
            } else {
                return Err(format!("module {child} of {} has no file", dir.display()));
            }
        }
        Ok(())
    }

    /// The module that defines what `path` (absolute, from the crate root) names.
    fn resolve(&self, path: &[String], depth: usize) -> Option<Vec<String>> {
        if depth > 16 {
            return None;
        }
        let mut module: Vec<String> = Vec::new();
        let mut i = 0;
        while i < path.len() {
            let here = self.modules.get(&module)?;
            let name = &path[i];
            if here.children.contains(name) {
                module.push(name.clone());
                i += 1;
                continue;
            }
            // Not a child module: an item here, or re-exported from elsewhere.
            if here.defs.contains(name) {
                return Some(module);
            }
            // `#[macro_export]` macros live at the crate root but are defined elsewhere.
            if module.is_empty() {
                if let Some(home) = self.macros.get(name) {
                    return Some(home.clone());
                }
            }
            if let Some((_, target)) = here.reexports.iter().find(|(n, _)| n == name) {
                // A re-export of something in an inline module (`mod x { … }`) is
                // defined in this very file.
                let Some(mut full) = self.absolute(&module, target) else { return Some(module) };
                full.extend_from_slice(&path[i + 1..]);
                return self.resolve(&full, depth + 1).or(Some(module));
            }
            for glob in &here.globs {
                // A glob over an inline module (`mod x { … }`) brings names of this file.
                let Some(base) = self.absolute(&module, glob) else { return Some(module) };
                if let Some(target) = self.modules.get(&base) {
                    if target.defs.contains(name) || target.children.contains(name) || target.reexports.iter().any(|(n, _)| n == name) {
                        let mut full = base.clone();
                        full.extend_from_slice(&path[i..]);
                        return self.resolve(&full, depth + 1);
                    }
                }
            }
            return Some(module);
        }
        Some(module)
    }

    /// A path as written in `module` (`crate::…`, `super::…`, `self::…`, a child) made
    /// absolute; `None` when it leaves the crate.
    fn absolute(&self, module: &[String], written: &[String]) -> Option<Vec<String>> {
        let mut out: Vec<String> = module.to_vec();
        let mut segs = written.iter().peekable();
        match segs.peek().map(|s| s.as_str()) {
            Some("crate" | "$crate") => {
                out.clear();
                segs.next();
            }
            Some("self") => {
                segs.next();
            }
            Some("super") => {
                while segs.peek().map(|s| s.as_str()) == Some("super") {
                    out.pop()?;
                    segs.next();
                }
            }
            Some(first) if self.modules.get(module).is_some_and(|m| m.children.contains(first) || m.defs.contains(first)) => {}
            Some(first) => {
                // A name the module imported (`use platform::config; pub use config::Config;`).
                let bound = self.modules.get(module)?.aliases.get(first)?.clone();
                if bound.first().map(String::as_str) == Some(first) {
                    return None;
                }
                let mut out = self.absolute(module, &bound)?;
                segs.next();
                out.extend(segs.cloned());
                return Some(out);
            }
            None => return None,
        }
        out.extend(segs.cloned());
        Some(out)
    }

    /// Module → the modules it depends on, with the first path that ties them.
    fn edges(&self) -> BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> {
        let mut edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
        for (path, module) in &self.modules {
            let deps = edges.entry(path.clone()).or_default();
            let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
            let mut named: Vec<Vec<String>> = Vec::new();
            for (alias, written) in use_paths(&module.code) {
                if let Some(abs) = self.absolute(path, &written) {
                    aliases.insert(alias, abs.clone());
                    // Importing a module only binds its name; what is then named through
                    // it is what the code depends on.
                    if !self.modules.contains_key(&abs) {
                        named.push(abs);
                    }
                }
            }
            for written in inline_paths(&module.code) {
                let first = &written[0];
                let abs = match aliases.get(first) {
                    Some(base) if !matches!(first.as_str(), "crate" | "$crate" | "self" | "super") => {
                        let mut full = base.clone();
                        full.extend_from_slice(&written[1..]);
                        Some(full)
                    }
                    _ => self.absolute(path, &written),
                };
                if let Some(abs) = abs {
                    named.push(abs);
                }
            }
            for name in macro_calls(&module.code) {
                if let Some(home) = self.macros.get(&name) {
                    deps.entry(home.clone()).or_insert_with(|| format!("{name}!"));
                }
            }
            for abs in named {
                if let Some(target) = self.resolve(&abs, 0) {
                    deps.entry(target).or_insert_with(|| abs.join("::"));
                }
            }
            deps.remove(path);
        }
        edges
    }

    /// Every circle (strongly connected set of two or more modules), described.
    fn circles(&self) -> Vec<String> {
        let edges = self.edges();
        let nodes: Vec<&Vec<String>> = edges.keys().collect();
        let index: HashMap<&Vec<String>, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let adjacency: Vec<Vec<usize>> = nodes.iter().map(|n| edges[*n].keys().filter_map(|t| index.get(t).copied()).collect()).collect();
        strongly_connected(&adjacency)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|component| {
                let members: BTreeSet<usize> = component.iter().copied().collect();
                let mut lines = vec![format!("{} modules: {}", members.len(), members.iter().map(|i| self.file_of(nodes[*i])).collect::<Vec<_>>().join(", "))];
                for &from in &members {
                    for (to, why) in &edges[nodes[from]] {
                        if index.get(to).is_some_and(|t| members.contains(t)) {
                            lines.push(format!("    {} -> {} (names {why})", self.file_of(nodes[from]), self.file_of(to)));
                        }
                    }
                }
                lines.join("\n")
            })
            .collect()
    }

    fn file_of(&self, path: &Vec<String>) -> String {
        let root = self.modules.get(&Vec::new()).and_then(|m| m.file.parent()).map(Path::to_path_buf).unwrap_or_default();
        match self.modules.get(path) {
            Some(m) => m.file.strip_prefix(&root).unwrap_or(&m.file).display().to_string(),
            None => path.join("::"),
        }
    }
}

/// Tarjan's algorithm, iterative so deep graphs do not overflow the stack.
fn strongly_connected(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some((v, child)) = work.pop() {
            if child == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if child < adjacency[v].len() {
                work.push((v, child + 1));
                let w = adjacency[v][child];
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
        }
    }
    out
}

/// The code without comments, string and char literals (each replaced by a space), so
/// that words in them are not taken for names.
fn strip(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || (next == Some('#') && b.get(i + 2).is_some_and(|c| *c == '"' || *c == '#'))) && !prev_is_ident(&b, i) {
            // r"…", r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            while j < b.len() {
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            i = j;
            out.push(' ');
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(' ');
        } else if c == '\'' && is_char_literal(&b, i) {
            i += 1;
            while i < b.len() && b[i] != '\'' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(' ');
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// `'a'`, `'\n'`, `'\u{1F600}'` — not a lifetime (`'a`, `'static`).
fn is_char_literal(b: &[char], i: usize) -> bool {
    match (b.get(i + 1), b.get(i + 2)) {
        (Some('\\'), _) => true,
        (Some(_), Some('\'')) => true,
        _ => false,
    }
}

/// Removes `#[cfg(test)] mod name { … }` blocks.
fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(start) = out.find("#[cfg(test)]") {
        let after = &out[start + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let skipped = after.len() - trimmed.len();
        let is_mod = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ") || trimmed.starts_with("pub(crate) mod ");
        let end = if is_mod {
            match trimmed.find(['{', ';']) {
                Some(p) if trimmed.as_bytes()[p] == b'{' => balanced_end(trimmed, p).map(|e| start + "#[cfg(test)]".len() + skipped + e),
                Some(p) => Some(start + "#[cfg(test)]".len() + skipped + p + 1),
                None => None,
            }
        } else {
            // Another test-only item: drop the attribute itself.
            Some(start + "#[cfg(test)]".len())
        };
        match end {
            Some(end) => out.replace_range(start..end, " "),
            None => break,
        }
    }
    out
}

/// The index just past the `}` that closes the `{` at `open`.
fn balanced_end(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn words(code: &str) -> Vec<&str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '!' || c == '$')).filter(|w| !w.is_empty()).collect()
}

/// Names of the items a file defines at any depth (close enough: a name defined in an
/// inner block is still this file's).
fn definitions(code: &str) -> BTreeSet<String> {
    let w = words(code);
    let mut defs = BTreeSet::new();
    for pair in w.windows(2) {
        if matches!(pair[0], "fn" | "struct" | "enum" | "const" | "static" | "type" | "trait" | "mod" | "union" | "macro_rules!") {
            defs.insert(pair[1].trim_end_matches('!').to_string());
        }
    }
    // Components made by #[component] are functions; consts and statics are covered.
    defs
}

fn exported_macros(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(p) = rest.find("#[macro_export]") {
        rest = &rest[p + "#[macro_export]".len()..];
        if let Some(m) = rest.trim_start().strip_prefix("macro_rules!") {
            let name: String = m.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out
}

/// `mod x;` declarations (files), not inline modules.
fn child_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let l = line.trim();
        let l = l.strip_prefix("pub(crate) ").or_else(|| l.strip_prefix("pub ")).unwrap_or(l);
        if let Some(rest) = l.strip_prefix("mod ") {
            if let Some(name) = rest.trim().strip_suffix(';') {
                out.push(name.trim().to_string());
            }
        }
    }
    out
}

/// Every `use` statement's tree, as (statement is `pub`, tree text).
fn use_statements(code: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(p) = find_word(rest, "use") {
        let before = rest[..p].trim_end();
        let public = before.ends_with("pub") || before.ends_with(')') && before.contains("pub(");
        let after = &rest[p + 3..];
        match after.find(';') {
            Some(end) => {
                out.push((public, after[..end].to_string()));
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = text[from..].find(word) {
        let at = from + p;
        let before_ok = at == 0 || !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        let after_ok = text[at + word.len()..].chars().next().is_some_and(|c| c.is_whitespace());
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// A use tree expanded into (local name, path as written).
fn expand(tree: &str, prefix: &[String], out: &mut Vec<(String, Vec<String>)>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = prefix.iter().cloned().chain(segments(&tree[..open])).collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        for part in split_top(inner) {
            if part.trim() == "self" {
                if let Some(last) = head.last() {
                    out.push((last.clone(), head.clone()));
                }
            } else {
                expand(&part, &head, out);
            }
        }
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p, Some(a.trim().to_string())),
        None => (tree, None),
    };
    let full: Vec<String> = prefix.iter().cloned().chain(segments(path)).collect();
    if let Some(last) = full.last() {
        if last == "*" {
            out.push(("*".into(), full[..full.len() - 1].to_vec()));
        } else {
            out.push((alias.unwrap_or_else(|| last.clone()), full));
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split("::").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn use_paths(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (_, tree) in use_statements(code) {
        expand(&tree, &[], &mut out);
    }
    out
}

fn reexports(code: &str) -> (Vec<(String, Vec<String>)>, Vec<Vec<String>>) {
    let (mut named, mut globs) = (Vec::new(), Vec::new());
    for (public, tree) in use_statements(code) {
        if !public {
            continue;
        }
        let mut expanded = Vec::new();
        expand(&tree, &[], &mut expanded);
        for (name, path) in expanded {
            if name == "*" {
                globs.push(path);
            } else {
                named.push((name, path));
            }
        }
    }
    (named, globs)
}

/// Paths written out in the code (`a::b::c`, at least two segments), outside `use`.
fn inline_paths(code: &str) -> Vec<Vec<String>> {
    let mut without_uses = code.to_string();
    for (_, tree) in use_statements(code) {
        without_uses = without_uses.replacen(&tree, " ", 1);
    }
    let chars: Vec<char> = without_uses.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c.is_alphabetic() || c == '_' || c == '$') && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':')) {
            let mut segs = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '$') {
                    j += 1;
                }
                segs.push(chars[start..j].iter().collect::<String>());
                if j + 2 < chars.len() && chars[j] == ':' && chars[j + 1] == ':' && (chars[j + 2].is_alphabetic() || chars[j + 2] == '_') {
                    j += 2;
                } else {
                    break;
                }
            }
            if segs.len() > 1 {
                out.push(segs);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Macros invoked bare (`tr!(…)`), which `#[macro_export]` puts at the crate root.
fn macro_calls(code: &str) -> BTreeSet<String> {
    words(code).into_iter().filter_map(|w| w.strip_suffix('!')).map(|w| w.trim_start_matches("$crate").to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            let path = dir.join(name);
            fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs::write(path, text).expect("write");
        }
    }

    fn circles_in(files: &[(&str, &str)]) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("aisle-cycles-{}-{}", std::process::id(), files.len() + files[0].1.len()));
        let _ = fs::remove_dir_all(&dir);
        write(&dir, files);
        let tree = Tree::read(&dir.join("lib.rs")).expect("reads");
        let circles = tree.circles();
        let _ = fs::remove_dir_all(&dir);
        circles
    }

    #[test]
    fn two_modules_naming_each_other_are_a_circle() {
        let c = circles_in(&[
            ("lib.rs", "pub mod a;\npub mod b;\n"),
            ("a.rs", "use crate::b::Thing;\npub fn make() -> Thing { Thing }\n"),
            ("b.rs", "pub struct Thing;\npub fn call() { crate::a::make(); }\n"),
        ]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c[0].contains("a.rs") && c[0].contains("b.rs"), "{}", c[0]);
    }

    #[test]
    fn re_exports_comments_strings_and_tests_do_not_make_circles() {
        let c = circles_in(&[
            ("lib.rs", "pub mod money;\npub mod order;\npub use money::Money;\n"),
            ("money.rs", "/// See crate::order::Order.\npub struct Money;\nconst S: &str = \"crate::order::x\";\n#[cfg(test)]\nmod tests {\n    use crate::order::Order;\n}\n"),
            ("order/mod.rs", "pub mod status;\npub use status::*;\nuse crate::Money;\npub struct Order(Money, Status);\n"),
            ("order/status.rs", "pub enum Status { Placed }\n"),
        ]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn a_child_naming_its_parent_that_calls_it_is_a_circle() {
        let c = circles_in(&[
            ("lib.rs", "pub mod slice;\n"),
            ("slice/mod.rs", "pub mod routes;\npub struct State;\npub fn router() { routes::router() }\n"),
            ("slice/routes.rs", "use super::State;\npub fn router() {}\n"),
        ]);
        assert_eq!(c.len(), 1, "{c:?}");
    }

    #[test]
    fn exported_macros_count_where_they_are_defined() {
        let c = circles_in(&[
            ("lib.rs", "pub mod lang;\npub mod page;\n"),
            ("lang.rs", "#[macro_export]\nmacro_rules! tr { () => {} }\npub fn start() { crate::page::show(); }\n"),
            ("page.rs", "pub fn show() { tr!(); }\n"),
        ]);
        assert_eq!(c.len(), 1, "{c:?}");
    }
}
