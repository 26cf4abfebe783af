//! Entry point trunk builds: mounts the app on `<body>`.

fn main() {
    // A panic in the browser otherwise shows only "unreachable" in the console.
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(aisle::App);
}
