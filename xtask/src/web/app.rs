//! The web apps `cargo xtask build-web` builds, each described once: the storefront
//! at `/`, and the back office, built the same way into `dist/staff/` and served
//! under `/staff/`.

/// One Leptos app, built to WebAssembly and served from a folder of `dist/` under its
/// URL prefix.
pub struct App {
    /// For the progress lines: `storefront`.
    pub name: &'static str,
    /// The cargo package and its binary target (also the base of the built files'
    /// names: `aisle-<hash>.js`, `aisle-<hash>_bg.wasm`).
    pub package: &'static str,
    pub bin: &'static str,
    /// The page, from the workspace root. Its `<link data-trunk …>` lines serve
    /// `trunk serve`; the release build replaces them with the built files' links and
    /// copies the files its `copy-file` links name.
    pub html: &'static str,
    /// The stylesheet, from the workspace root (the page's `rel="css"` link).
    pub css: &'static str,
    /// The app's folder in `dist/`: `""` for the storefront, `"staff"` for the back
    /// office.
    pub out: &'static str,
    /// Where that folder is served: `/` or `/staff/`. Every link the build writes
    /// starts with it.
    pub prefix: &'static str,
    /// Whether to draw the PNG icons into `icons/` (the storefront's manifest names
    /// them).
    pub icons: bool,
    /// The service worker among the copied files, from the workspace root: its
    /// placeholders are filled with the build's files (the precache list).
    pub service_worker: Option<&'static str>,
    /// Folders of this app's output that belong to other apps; its service worker never
    /// precaches them (a shopper must not download the back office).
    pub not_precached: &'static [&'static str],
    /// Whether the app loads its pages on demand: built with the package's `split`
    /// feature and cut by wasm-split-cli into a main wasm and one wasm file per lazily
    /// loaded part (plus the pieces those share), which go together into one folder of
    /// the build (`pkg-<16 hex>/`, see [`super::SPLIT_DIR`]).
    pub split: bool,
}

/// The shop shoppers use, at `/`.
pub const STOREFRONT: App = App {
    name: "storefront",
    package: "aisle",
    bin: "aisle",
    html: "index.html",
    css: "style/main.css",
    out: "",
    prefix: "/",
    icons: true,
    service_worker: Some("public/sw.js"),
    not_precached: &["staff"],
    split: true,
};

/// The shop's staff's app, at `/staff/`. No service worker of its own yet; the
/// storefront's leaves `/staff` to the network. Split: the agent console and insight
/// are parts of their own.
pub const BACK_OFFICE: App = App {
    name: "back office",
    package: "aisle-staff",
    bin: "aisle-staff",
    html: "staff/index.html",
    css: "staff/style/staff.css",
    out: "staff",
    prefix: "/staff/",
    icons: false,
    service_worker: None,
    not_precached: &[],
    split: true,
};

/// Every app of a build, in build order.
pub const APPS: &[App] = &[STOREFRONT, BACK_OFFICE];
