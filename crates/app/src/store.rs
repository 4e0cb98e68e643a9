//! The one store: the page's whole state and the actions that change it (a reducer).
//! Components read it through context and dispatch actions; they hold no logic of their own.

use std::rc::Rc;

use stepwise_asl::Diagnostic;
use yew::Reducible;

use crate::check;
use crate::samples::{SAMPLES, Sample};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTab {
    Definition,
    Input,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub sample: Option<&'static str>,
    pub definition: String,
    pub input: String,
    pub tab: EditorTab,
    /// Diagnostics of the current definition text.
    pub diagnostics: Vec<Diagnostic>,
    /// Problems with the input text.
    pub input_diagnostics: Vec<Diagnostic>,
}

pub enum Action {
    LoadSample(&'static str),
    EditDefinition(String),
    EditInput(String),
    ShowTab(EditorTab),
}

impl State {
    pub fn from_sample(sample: &'static Sample) -> Self {
        let mut state = State {
            sample: Some(sample.id),
            definition: sample.definition.to_string(),
            input: sample.input.to_string(),
            tab: EditorTab::Definition,
            diagnostics: Vec::new(),
            input_diagnostics: Vec::new(),
        };
        state.recheck();
        state
    }

    fn recheck(&mut self) {
        self.diagnostics = check::definition(&self.definition);
        self.input_diagnostics = check::input(&self.input);
    }
}

impl Default for State {
    fn default() -> Self {
        match SAMPLES.first() {
            Some(sample) => Self::from_sample(sample),
            None => State {
                sample: None,
                definition: String::new(),
                input: "{}".to_string(),
                tab: EditorTab::Definition,
                diagnostics: Vec::new(),
                input_diagnostics: Vec::new(),
            },
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::LoadSample(id) => {
                if let Some(sample) = crate::samples::find(id) {
                    let tab = next.tab;
                    next = State::from_sample(sample);
                    next.tab = tab;
                }
            }
            Action::EditDefinition(text) => {
                next.definition = text;
                next.sample = None;
                next.recheck();
            }
            Action::EditInput(text) => {
                next.input = text;
                next.recheck();
            }
            Action::ShowTab(tab) => next.tab = tab,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_rechecks_and_loading_a_sample_restores_it() {
        let state = Rc::new(State::default());
        assert!(state.diagnostics.iter().all(|d| !d.is_error()));
        let broken = state.reduce(Action::EditDefinition("{\n  \"StartAt\": ".into()));
        assert_eq!(broken.sample, None);
        let first = broken.diagnostics.first().expect("a diagnostic for broken JSON");
        assert!(first.is_error());
        assert_eq!(first.span.map(|s| s.start.line), Some(2));
        let restored = broken.reduce(Action::LoadSample("batch-catch-notify"));
        assert_eq!(restored.sample, Some("batch-catch-notify"));
        assert!(restored.diagnostics.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn input_must_be_json() {
        let state = Rc::new(State::default()).reduce(Action::EditInput("{'a': 1}".into()));
        assert_eq!(state.input_diagnostics.len(), 1);
        let state = state.reduce(Action::EditInput("{\"a\": 1}".into()));
        assert!(state.input_diagnostics.is_empty());
    }
}
