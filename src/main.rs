//! Entry point trunk builds: mounts the app on `<body>`, taking over from the first
//! view the server wrote, if it did (see `aisle::platform::first_view`).

fn main() {
    // A panic in the browser otherwise shows only "unreachable" in the console.
    console_error_panic_hook::set_once();
    aisle::platform::first_view::mount(aisle::App);
}
