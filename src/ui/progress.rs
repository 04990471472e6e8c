//! The progress of a long run (merge, erasure) on the open profile, from its live events.
use crate::i18n::{translate_with, use_locale};
use crate::live::client::Live;
use leptos::prelude::*;

/// Shown while `running` (by default: while the newest step is not the last): a bar with
/// "step n of m" once the first step arrived.
#[component]
pub fn RunProgress(
    run: &'static str,
    #[prop(optional, into)] running: Option<Signal<bool>>,
) -> impl IntoView {
    let locale = use_locale();
    let progress = Live::progress(run);
    let running =
        running.unwrap_or_else(|| Signal::derive(move || progress.get().is_some_and(|(d, t)| d < t)));
    move || {
        running.get().then(|| {
            let (done, total) = progress.get().unwrap_or((0, 1));
            let label = translate_with(
                locale,
                "common.progress",
                &[("done", &done.to_string()), ("total", &total.to_string())],
            );
            view! {
                <div class="run-progress" role="status">
                    <progress max=total value=done aria-label=label.clone()></progress>
                    " " <span class="muted">{label}</span>
                </div>
            }
        })
    }
}
