//! Code that arrives when it is needed: a view whose code is a chunk of the client of its own
//! (`#[leptos::lazy]`, split out by `cargo leptos build --split`), and what loads such a chunk
//! before hydration, so the server's HTML is hydrated by its own code at once.
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A view on its way: in the browser its code may still have to be fetched.
pub type LazyView = Pin<Box<dyn Future<Output = AnyView> + Send>>;

/// A `#[lazy]` function's future as a `LazyView`.
#[cfg(not(feature = "hydrate"))]
pub fn boxed(view: impl Future<Output = AnyView> + Send + 'static) -> LazyView {
    Box::pin(view)
}

/// A `#[lazy]` function's future as a `LazyView` (the browser runs one thread, so a loading
/// chunk's future may stay where it is).
#[cfg(feature = "hydrate")]
pub fn boxed(view: impl Future<Output = AnyView> + 'static) -> LazyView {
    Box::pin(send_wrapper::SendWrapper::new(view))
}

/// Loads a chunk (`|| Box::pin(__preload_<function>())`).
#[cfg(feature = "hydrate")]
pub type Preload = fn() -> Pin<Box<dyn Future<Output = ()>>>;

/// Shows a lazy view once its code is there: on the server at once, in the browser after its
/// chunk arrived (already before hydration for the page that was opened).
pub fn show(view: LazyView) -> impl IntoView {
    view! { <Suspense fallback=|| ()>{Suspend::new(view)}</Suspense> }
}
