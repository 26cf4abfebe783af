//! Entry point of the back office's wasm: mounts the app on `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(aisle_staff::App);
}
