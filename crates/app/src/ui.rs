//! Small markup builders for elements the views repeat (options, table cells, buttons,
//! problems). Each is one out-of-line copy of the element code instead of one per use: the
//! `html!` of an element compiles to a few hundred bytes of wasm, a call to a dozen.
//! The markup is exactly what the views wrote inline.

use yew::prelude::*;

/// `<option value={value} selected={selected}>{ text }</option>`.
#[inline(never)]
pub fn option(value: AttrValue, selected: bool, text: Html) -> Html {
    html! { <option {value} {selected}>{ text }</option> }
}

/// `<span role={role} title={title} class={class}>{ child }</span>`.
#[inline(never)]
pub fn span(role: &'static str, class: Classes, title: Option<AttrValue>, child: Html) -> Html {
    html! { <span {role} {title} {class}>{ child }</span> }
}

/// `<p class="inline-problem" role="alert">{ problem }</p>`.
#[inline(never)]
pub fn problem(problem: &str) -> Html {
    html! { <p class="inline-problem" role="alert">{ problem }</p> }
}

/// `<button type="button" onclick={onclick}>{ label }</button>`.
#[inline(never)]
pub fn button(label: &'static str, onclick: Callback<MouseEvent>) -> Html {
    html! { <button type="button" {onclick}>{ label }</button> }
}

/// `<tag class={class}>{ child }</tag>` (no `class` attribute when `class` is empty).
#[inline(never)]
pub fn el(tag: &'static str, class: &'static str, child: Html) -> Html {
    html! { <@{tag} {class}>{ child }</@> }
}

/// SVG `<rect x y width height rx class />` (no `rx` when `None`, no `class` when empty).
#[inline(never)]
pub fn rect(
    x: AttrValue,
    y: AttrValue,
    width: AttrValue,
    height: AttrValue,
    rx: Option<AttrValue>,
    class: &'static str,
) -> Html {
    html! { <rect {x} {y} {width} {height} {rx} {class} /> }
}

/// SVG `<text x y font-size class>{ child }</text>` (no `font-size` when `None`, no `class`
/// when empty).
#[inline(never)]
pub fn text(
    x: AttrValue,
    y: AttrValue,
    font_size: Option<AttrValue>,
    class: &'static str,
    child: Html,
) -> Html {
    html! { <text {x} {y} font-size={font_size} {class}>{ child }</text> }
}

/// SVG `<line x1 x2 y1 y2 class />`.
#[inline(never)]
pub fn line(
    x1: AttrValue,
    x2: AttrValue,
    y1: AttrValue,
    y2: AttrValue,
    class: &'static str,
) -> Html {
    html! { <line {x1} {x2} {y1} {y2} {class} /> }
}

/// A labelled select: `<label class={class}><span>{ label }</span><select aria-label title
/// onchange>{ options }</select></label>` (no `title` when `None`).
#[inline(never)]
pub fn field_select(
    class: &'static str,
    label: &'static str,
    aria_label: &'static str,
    title: Option<AttrValue>,
    onchange: Callback<Event>,
    options: Html,
) -> Html {
    html! {
        <label {class}>
            { el("span", "", label.into()) }
            <select aria-label={aria_label} {title} {onchange}>{ options }</select>
        </label>
    }
}

/// `<button aria-label title disabled class onclick>{ child }</button>` (no `aria-label` or
/// `title` when `None`, no `disabled` when false).
#[inline(never)]
pub fn button_with(
    class: &'static str,
    aria_label: Option<&'static str>,
    title: Option<&'static str>,
    disabled: bool,
    onclick: Callback<MouseEvent>,
    child: Html,
) -> Html {
    html! {
        <button aria-label={aria_label} {title} {disabled} {class} {onclick}>{ child }</button>
    }
}
