//! The one store: the page's whole state and the actions that change it (a reducer).
//!
//! Components read it through context and dispatch [`Action`]s; they hold no logic of their
//! own. Everything derived from the documents (diagnostics, graph, trace) is recomputed here,
//! by the core crates, whenever a document or an outcome changes ([`Analysis`]).

use std::rc::Rc;
use stepwise_asl::vecmap::VecMap;

use stepwise_engine::share::{self, Envelope, View};
use stepwise_engine::{Outcome, PlannedOutcome, Scenario, Trace};
use yew::Reducible;

pub use crate::analysis::{Analysis, analyze, layout_options, scenario_for};
use crate::check;
use crate::samples::{SAMPLES, Sample};

/// The two documents a user edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorTab {
    Definition,
    Input,
}

/// What "Step forward/back" moves over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepBy {
    /// One history event at a time.
    Event,
    /// To the next/previous state entered (or the end).
    State,
}

/// The texts the user edits; undo/redo restores these.
#[derive(Debug, Clone, PartialEq)]
pub struct Documents {
    pub definition: String,
    pub input: String,
}

/// A question for the user in "ask me when it happens" mode: the cursor reached an attempt
/// whose outcome was not decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub state: String,
    /// The per-state invocation number (0-based, as in MockConfigFile).
    pub invocation: u32,
}

/// One undo (or redo) step: the documents, and the injected outcomes when the step replaced
/// them (loading a sample, opening a file or a link); typing leaves the outcomes alone, so its
/// steps do not carry them.
#[derive(Debug, Clone, PartialEq)]
struct UndoStep {
    docs: Documents,
    outcomes: Option<VecMap<String, Vec<Option<PlannedOutcome>>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The sample the documents came from, while unedited.
    pub sample: Option<&'static str>,
    pub docs: Documents,
    pub tab: EditorTab,
    undo: Vec<UndoStep>,
    redo: Vec<UndoStep>,
    /// Whether the last edit may be merged into the previous undo step (typing a word).
    merge_edit: bool,
    /// Injected outcomes: per Task state name, per invocation number; `None` = the engine's
    /// documented default for that resource.
    pub outcomes: VecMap<String, Vec<Option<PlannedOutcome>>>,
    /// Seed for jitter, UUIDs and generated ids.
    pub seed: u64,
    pub analysis: Rc<Analysis>,
    /// How many history events are revealed: 0 = before the execution starts,
    /// `events.len()` = the end.
    pub cursor: usize,
    pub step_by: StepBy,
    pub playing: bool,
    /// Play speed, in steps per second.
    pub speed: u32,
    /// "Ask me when it happens": stepping onto an undecided attempt asks instead of using
    /// the default outcome.
    pub ask: bool,
    pub question: Option<Question>,
    /// The state selected on the graph (its name; names are unique machine-wide).
    pub selected: Option<String>,
    /// A share link or a file that could not be opened: (the user-facing message, the raw
    /// text to show on request). The work on screen is kept.
    pub link_error: Option<(String, String)>,
    /// The work that was on screen (autosaved) before a link or `?sample=` replaced it at
    /// load: offered back by "Restore previous work".
    pub previous: Option<Rc<Envelope>>,
    /// True once "Restore previous work" was used: `previous` then holds the version it
    /// replaced (the link's), so the restore can be undone.
    pub restored: bool,
    /// A problem with autosave (storage off, full, or holding unreadable data): the message
    /// and, for unreadable data, the raw text that was set aside.
    pub storage_warning: Option<(String, Option<String>)>,
    /// The storage warning the user dismissed: the same problem is not shown again (autosave
    /// retries after every change and would bring it back each time).
    dismissed_storage_warning: Option<String>,
    /// A short confirmation of the last file opened or imported (announced politely).
    pub file_note: Option<String>,
}

pub enum Action {
    LoadSample(&'static str),
    EditDefinition(String),
    EditInput(String),
    /// Pretty-print the document of the current tab (undoable). Ignored when it is not JSON.
    Format,
    Undo,
    Redo,
    ShowTab(EditorTab),
    /// Set (or with `None` reset to the default) the outcome of one invocation of a Task.
    SetOutcome {
        state: String,
        invocation: u32,
        outcome: Option<PlannedOutcome>,
    },
    /// Replace all injected outcomes (a preset); the cursor goes back to the start.
    SetOutcomes(VecMap<String, Vec<Option<PlannedOutcome>>>),
    /// Answer the pending question (sets that outcome and steps onto it).
    Answer(PlannedOutcome),
    StepForward,
    StepBack,
    /// Back to before the execution started.
    Reset,
    /// Reveal the whole execution.
    RunToEnd,
    SetCursor(usize),
    SetStepBy(StepBy),
    Play,
    Pause,
    /// One tick of the play timer: a step forward, or stop at the end / at a question.
    Tick,
    SetSpeed(u32),
    SetAsk(bool),
    Select(Option<String>),
    /// Open a shared scenario: documents, outcomes, cursor, selection and view options.
    OpenEnvelope(Box<Envelope>),
    /// Show that a link could not be opened: (message, raw text). The work is kept.
    LinkError(String, String),
    DismissLinkError,
    /// Bring back the work that was on screen before a link opened (undoable).
    RestorePrevious,
    DismissPrevious,
    /// Autosave could not read or write: (message, raw text set aside).
    StorageWarning(String, Option<String>),
    /// The user dismissed the storage warning.
    DismissStorageWarning,
    /// The problem went away (a write succeeded): drop the warning.
    ClearStorageWarning,
    /// Replace the definition with an opened ASL file (undoable); the outcomes and the cursor
    /// start over, the input is kept.
    OpenDefinition(String),
    /// Replace the injected outcomes with an imported test case; the note says what was done.
    ImportOutcomes(VecMap<String, Vec<Option<PlannedOutcome>>>, String),
    /// Set or clear the confirmation of the last file operation.
    FileNote(Option<String>),
}

const UNDO_LIMIT: usize = 200;

impl State {
    pub fn from_sample(sample: &'static Sample) -> Self {
        let mut state = State::unanalyzed(sample);
        state.analyze_new_work();
        state
    }

    /// A sample's state before its analysis: [`State::from_sample`] without the parse, layout
    /// and run, for a state that other work replaces at once (a link, a saved scenario).
    pub(crate) fn unanalyzed(sample: &'static Sample) -> Self {
        let docs = Documents {
            definition: sample.definition.to_string(),
            input: sample.input.to_string(),
        };
        let outcomes = VecMap::new();
        let analysis = Rc::new(Analysis::nothing());
        State {
            sample: Some(sample.id),
            docs,
            tab: EditorTab::Definition,
            undo: Vec::new(),
            redo: Vec::new(),
            merge_edit: false,
            outcomes,
            seed: 0,
            analysis,
            cursor: 0,
            step_by: StepBy::Event,
            playing: false,
            speed: 2,
            ask: false,
            question: None,
            selected: None,
            link_error: None,
            previous: None,
            restored: false,
            storage_warning: None,
            dismissed_storage_warning: None,
            file_note: None,
        }
    }

    /// The state a saved scenario describes, as if it had never been closed (no undo step back
    /// to the default sample).
    pub fn from_envelope(envelope: &Envelope) -> Self {
        let mut state = State::unanalyzed_envelope(envelope);
        state.analyze_new_work();
        state
    }

    /// [`State::from_envelope`] before its analysis (see [`State::unanalyzed`]).
    pub(crate) fn unanalyzed_envelope(envelope: &Envelope) -> Self {
        let mut state = State::unanalyzed(&SAMPLES[0]);
        state.load_envelope(envelope);
        state.undo.clear();
        state.merge_edit = false;
        state
    }

    /// Everything a share link or a `.stepwise.json` file holds of this state.
    pub fn envelope(&self) -> Envelope {
        Envelope {
            sample: self.sample.map(str::to_string),
            definition: Some(self.docs.definition.clone()),
            input: Some(self.docs.input.clone()),
            seed: Some(self.seed),
            context: None,
            outcomes: self.outcomes.clone(),
            cursor: Some(self.cursor),
            selected: self.selected.clone(),
            view: View {
                step_by: Some(match self.step_by {
                    StepBy::Event => share::StepBy::Event,
                    StepBy::State => share::StepBy::State,
                }),
                ask: Some(self.ask),
                tab: Some(match self.tab {
                    EditorTab::Definition => share::EditorTab::Definition,
                    EditorTab::Input => share::EditorTab::Input,
                }),
                speed: Some(self.speed),
                extra: Default::default(),
            },
            extra: Default::default(),
        }
    }

    /// Replace the work with a shared scenario (undoable for the documents). Fields the
    /// envelope lacks keep their defaults (a definition falls back to the named sample, then
    /// to the first sample).
    fn open_envelope(&mut self, envelope: &Envelope) {
        self.load_envelope(envelope);
        self.analyze_new_work();
    }

    /// Everything [`State::open_envelope`] does but the analysis.
    fn load_envelope(&mut self, envelope: &Envelope) {
        let sample = envelope.sample.as_deref().and_then(crate::samples::find);
        let fallback = sample.unwrap_or(&SAMPLES[0]);
        self.checkpoint_work();
        self.docs = Documents {
            definition: envelope
                .definition
                .clone()
                .unwrap_or_else(|| fallback.definition.to_string()),
            input: envelope
                .input
                .clone()
                .unwrap_or_else(|| fallback.input.to_string()),
        };
        self.sample = sample
            .filter(|s| s.definition == self.docs.definition)
            .map(|s| s.id);
        self.outcomes = envelope.outcomes.clone();
        self.seed = envelope.seed.unwrap_or(0);
        self.playing = false;
        self.step_by = match envelope.view.step_by {
            Some(share::StepBy::State) => StepBy::State,
            _ => StepBy::Event,
        };
        self.tab = match envelope.view.tab {
            Some(share::EditorTab::Input) => EditorTab::Input,
            _ => EditorTab::Definition,
        };
        self.ask = envelope.view.ask.unwrap_or(false);
        self.speed = envelope.view.speed.unwrap_or(2).clamp(1, 50);
        self.selected = envelope.selected.clone();
        self.cursor = envelope.cursor.unwrap_or(0);
        self.link_error = None;
    }

    /// The trace, if the execution could be simulated.
    pub fn trace(&self) -> Option<&Trace> {
        self.analysis.trace.as_deref()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The outcome the user injected for one invocation (`None`: the default applies).
    pub fn outcome(&self, state: &str, invocation: u32) -> Option<&PlannedOutcome> {
        self.outcomes
            .get(state)
            .and_then(|v| v.get(invocation as usize))
            .and_then(Option::as_ref)
    }

    /// The scenario the engine runs with.
    pub fn scenario(&self) -> Scenario {
        scenario_for(&self.outcomes, self.seed)
    }

    fn event_count(&self) -> usize {
        self.trace().map_or(0, |t| t.events.len())
    }

    /// Re-run the analysis after the documents or the outcomes changed.
    fn reanalyze(&mut self) {
        let analysis =
            crate::analysis::reanalyze(&self.analysis, &self.docs, &self.outcomes, self.seed);
        self.set_analysis(analysis);
    }

    /// Analyse work that replaces what was on screen (a sample, a file, a link): nothing of
    /// the previous definition carries over, so a broken definition shows no graph rather
    /// than the previous machine's as its "last valid graph".
    pub(crate) fn analyze_new_work(&mut self) {
        let analysis = analyze(&self.docs, &self.outcomes, self.seed, None);
        self.set_analysis(analysis);
    }

    fn set_analysis(&mut self, analysis: Analysis) {
        self.analysis = Rc::new(analysis);
        self.cursor = self.cursor.min(self.event_count());
        self.question = None;
        if self.selected.as_ref().is_some_and(|s| {
            self.analysis
                .graph
                .as_ref()
                .is_none_or(|g| g.node(s).is_none())
        }) {
            self.selected = None;
        }
    }

    /// Record the documents before an edit, for undo.
    fn checkpoint(&mut self, merge: bool) {
        if !(merge && self.merge_edit) {
            self.push_undo(UndoStep {
                docs: self.docs.clone(),
                outcomes: None,
            });
        }
        self.redo.clear();
        self.merge_edit = merge;
    }

    /// Record the documents and the outcomes before new work replaces both, for undo.
    fn checkpoint_work(&mut self) {
        self.push_undo(UndoStep {
            docs: self.docs.clone(),
            outcomes: Some(self.outcomes.clone()),
        });
        self.redo.clear();
        self.merge_edit = false;
    }

    fn push_undo(&mut self, step: UndoStep) {
        self.undo.push(step);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
    }

    /// Put `step` on screen; what it replaces is returned as the opposite step.
    fn swap_in(&mut self, step: UndoStep) -> UndoStep {
        let docs = std::mem::replace(&mut self.docs, step.docs);
        let outcomes = step
            .outcomes
            .map(|o| std::mem::replace(&mut self.outcomes, o));
        UndoStep { docs, outcomes }
    }

    fn edit(&mut self, definition: Option<String>, input: Option<String>) {
        let merge = match (&definition, &input) {
            (Some(new), None) => is_typing(&self.docs.definition, new),
            (None, Some(new)) => is_typing(&self.docs.input, new),
            _ => false,
        };
        self.checkpoint(merge);
        if let Some(d) = definition {
            self.docs.definition = d;
            self.sample = None;
        }
        if let Some(i) = input {
            self.docs.input = i;
        }
        self.reanalyze();
    }

    /// The cursor position one step forward (by event or by state).
    fn next_cursor(&self) -> usize {
        let Some(trace) = self.trace() else { return 0 };
        let len = trace.events.len();
        match self.step_by {
            StepBy::Event => (self.cursor + 1).min(len),
            StepBy::State => trace
                .events
                .iter()
                .enumerate()
                .skip(self.cursor)
                .find(|(_, e)| e.kind.as_str().ends_with("StateEntered"))
                .map_or(len, |(i, _)| i + 1),
        }
    }

    fn previous_cursor(&self) -> usize {
        let Some(trace) = self.trace() else { return 0 };
        match self.step_by {
            StepBy::Event => self.cursor.saturating_sub(1),
            StepBy::State => trace.events[..self.cursor.saturating_sub(1).min(trace.events.len())]
                .iter()
                .rposition(|e| e.kind.as_str().ends_with("StateEntered"))
                .map_or(0, |i| i + 1),
        }
    }

    /// Move forward; in ask mode, stop with a question before revealing an undecided attempt.
    fn step_forward(&mut self) {
        let target = self.next_cursor();
        if self.ask
            && let Some(q) = self.undecided_between(self.cursor, target)
        {
            self.question = Some(q);
            self.playing = false;
            return;
        }
        self.cursor = target;
        if self.cursor >= self.event_count() {
            self.playing = false;
        }
    }

    /// The first attempt whose outcome the user has not decided and whose first event lies
    /// in the events `(from, to]` (1-based ids).
    fn undecided_between(&self, from: usize, to: usize) -> Option<Question> {
        let trace = self.trace()?;
        trace
            .steps
            .iter()
            .flat_map(|step| step.attempts.iter().map(move |a| (step, a)))
            .filter(|(_, a)| (a.first_event as usize) > from && (a.first_event as usize) <= to)
            .filter_map(|(step, a)| Some((step, a.invocation?)))
            .find(|(step, n)| self.outcome(&step.state, *n).is_none())
            .map(|(step, n)| Question {
                state: step.state.clone(),
                invocation: n,
            })
    }
}

/// Whether `new` is `old` plus one typed word character (merged into one undo step).
fn is_typing(old: &str, new: &str) -> bool {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len(), |((i, _), _)| i);
    let Some(c) = new.get(prefix..).and_then(|rest| rest.chars().next()) else {
        return false;
    };
    (c.is_alphanumeric() || c == '_')
        && new.len() == old.len() + c.len_utf8()
        && new.get(prefix + c.len_utf8()..) == old.get(prefix..)
}

impl Default for State {
    /// The first sample of the gallery (the gallery is a non-empty constant).
    fn default() -> Self {
        Self::from_sample(&SAMPLES[0])
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::LoadSample(id) => {
                if let Some(sample) = crate::samples::find(id) {
                    next.checkpoint_work();
                    next.docs = Documents {
                        definition: sample.definition.to_string(),
                        input: sample.input.to_string(),
                    };
                    next.sample = Some(sample.id);
                    next.outcomes.clear();
                    next.cursor = 0;
                    next.selected = None;
                    next.playing = false;
                    next.analyze_new_work();
                }
            }
            Action::EditDefinition(text) => {
                if text == next.docs.definition {
                    return self;
                }
                next.edit(Some(text), None);
            }
            Action::EditInput(text) => {
                if text == next.docs.input {
                    return self;
                }
                next.edit(None, Some(text));
            }
            Action::Format => {
                let text = match next.tab {
                    EditorTab::Definition => &next.docs.definition,
                    EditorTab::Input => &next.docs.input,
                };
                let Some(pretty) = check::format_json(text) else {
                    return self;
                };
                if &pretty == text {
                    return self;
                }
                match next.tab {
                    EditorTab::Definition => next.edit(Some(pretty), None),
                    EditorTab::Input => next.edit(None, Some(pretty)),
                }
                next.merge_edit = false;
            }
            Action::Undo => {
                let Some(step) = next.undo.pop() else {
                    return self;
                };
                let back = next.swap_in(step);
                next.redo.push(back);
                next.merge_edit = false;
                next.sample = None;
                next.reanalyze();
            }
            Action::Redo => {
                let Some(step) = next.redo.pop() else {
                    return self;
                };
                let back = next.swap_in(step);
                next.undo.push(back);
                next.merge_edit = false;
                next.sample = None;
                next.reanalyze();
            }
            Action::ShowTab(tab) => next.tab = tab,
            Action::SetOutcome {
                state,
                invocation,
                outcome,
            } => {
                let list = next.outcomes.entry(state.clone()).or_default();
                let index = invocation as usize;
                if list.len() <= index {
                    list.resize(index + 1, None);
                }
                list[index] = outcome;
                while list.last().is_some_and(Option::is_none) {
                    list.pop();
                }
                if list.is_empty() {
                    next.outcomes.remove(&state);
                }
                next.reanalyze();
            }
            Action::SetOutcomes(outcomes) => {
                // A new scenario (a preset) plays from the start.
                next.outcomes = outcomes;
                next.cursor = 0;
                next.playing = false;
                next.reanalyze();
            }
            Action::Answer(outcome) => {
                let Some(q) = next.question.take() else {
                    return self;
                };
                let list = next.outcomes.entry(q.state).or_default();
                let index = q.invocation as usize;
                if list.len() <= index {
                    list.resize(index + 1, None);
                }
                list[index] = Some(outcome);
                next.reanalyze();
                next.step_forward();
            }
            Action::StepForward => next.step_forward(),
            Action::StepBack => {
                next.cursor = next.previous_cursor();
                next.question = None;
                next.playing = false;
            }
            Action::Reset => {
                next.cursor = 0;
                next.question = None;
                next.playing = false;
            }
            Action::RunToEnd => {
                next.playing = false;
                if next.ask {
                    while next.question.is_none() && next.cursor < next.event_count() {
                        next.step_forward();
                    }
                } else {
                    next.cursor = next.event_count();
                }
            }
            Action::SetCursor(n) => {
                next.cursor = n.min(next.event_count());
                next.question = None;
            }
            Action::SetStepBy(by) => next.step_by = by,
            Action::Play => {
                if next.cursor >= next.event_count() {
                    next.cursor = 0;
                }
                next.playing = true;
            }
            Action::Pause => next.playing = false,
            Action::Tick => {
                if !next.playing {
                    return self;
                }
                next.step_forward();
            }
            Action::SetSpeed(speed) => next.speed = speed.clamp(1, 50),
            Action::SetAsk(ask) => {
                next.ask = ask;
                next.question = None;
            }
            Action::Select(name) => next.selected = name,
            Action::OpenEnvelope(envelope) => {
                // The work it replaces stays recoverable ("Restore previous work").
                let before = next.envelope();
                let (docs, outcomes, seed) = (next.docs.clone(), next.outcomes.clone(), next.seed);
                next.open_envelope(&envelope);
                if docs != next.docs || outcomes != next.outcomes || seed != next.seed {
                    next.previous = Some(Rc::new(before));
                    next.restored = false;
                }
            }
            Action::LinkError(message, raw) => next.link_error = Some((message, raw)),
            Action::DismissLinkError => next.link_error = None,
            Action::RestorePrevious => {
                // Swap: the version on screen becomes the one offered back (undo).
                let Some(previous) = next.previous.take() else {
                    return self;
                };
                let current = Rc::new(next.envelope());
                next.open_envelope(&previous);
                next.previous = Some(current);
                next.restored = !next.restored;
            }
            Action::DismissPrevious => next.previous = None,
            Action::StorageWarning(message, raw) => {
                if next.storage_warning.as_ref().map(|(m, _)| m) == Some(&message)
                    || next.dismissed_storage_warning.as_ref() == Some(&message)
                {
                    return self;
                }
                next.storage_warning = Some((message, raw));
            }
            Action::DismissStorageWarning => {
                next.dismissed_storage_warning = next.storage_warning.take().map(|(m, _)| m);
            }
            Action::ClearStorageWarning => {
                next.storage_warning = None;
                next.dismissed_storage_warning = None;
            }
            Action::OpenDefinition(text) => {
                next.checkpoint_work();
                next.docs.definition = text;
                next.sample = None;
                next.outcomes.clear();
                next.cursor = 0;
                next.playing = false;
                next.selected = None;
                next.link_error = None;
                next.analyze_new_work();
            }
            Action::ImportOutcomes(outcomes, note) => {
                next.outcomes = outcomes;
                next.cursor = 0;
                next.playing = false;
                next.link_error = None;
                next.file_note = Some(note);
                next.reanalyze();
            }
            Action::FileNote(note) => next.file_note = note,
        }
        Rc::new(next)
    }
}

/// Convenience for presets and tests: an outcome with the resource's default duration.
pub fn planned(outcome: Outcome) -> PlannedOutcome {
    PlannedOutcome {
        outcome,
        duration_ms: None,
    }
}

/// Test support: the default sample (Batch + SNS with Retry and Catch) with the Batch job
/// failing (`States.TaskFailed`) on its first `times` attempts.
#[cfg(test)]
pub fn failing_batch(times: u32) -> Rc<State> {
    let mut s = Rc::new(State::default());
    for n in 0..times {
        s = s.reduce(Action::SetOutcome {
            state: "Submit Batch Job".into(),
            invocation: n,
            outcome: Some(planned(Outcome::Throw {
                error: "States.TaskFailed".into(),
                cause: "job failed".into(),
            })),
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<State> {
        Rc::new(State::default())
    }

    #[test]
    fn the_default_sample_is_valid_and_runs() {
        let s = state();
        assert!(!s.analysis.parsed.has_errors());
        assert!(s.analysis.graph.is_some());
        let trace = s.trace().expect("the sample runs");
        assert_eq!(trace.status.as_str(), "SUCCEEDED");
        assert_eq!(s.cursor, 0);
    }

    #[test]
    fn broken_json_keeps_the_last_graph_dimmed_and_reports_the_line() {
        let s = state();
        let graph = s.analysis.graph.clone();
        let broken = s.reduce(Action::EditDefinition("{\n  \"StartAt\": ".into()));
        assert_eq!(broken.sample, None);
        let first = broken
            .analysis
            .parsed
            .diagnostics
            .first()
            .expect("a diagnostic");
        assert!(first.is_error());
        assert_eq!(first.span.map(|s| s.start.line), Some(2));
        assert!(broken.analysis.graph_stale);
        assert!(Rc::ptr_eq(
            broken.analysis.graph.as_ref().unwrap(),
            graph.as_ref().unwrap()
        ));
        assert!(broken.trace().is_none());
        assert!(broken.analysis.blocked.is_some());
        let restored = broken.reduce(Action::LoadSample("batch-catch-notify"));
        assert_eq!(restored.sample, Some("batch-catch-notify"));
        assert!(!restored.analysis.parsed.has_errors());
        assert!(!restored.analysis.graph_stale);
    }

    #[test]
    fn input_must_be_json() {
        let s = state().reduce(Action::EditInput("{'a': 1}".into()));
        assert_eq!(s.analysis.input_diagnostics.len(), 1);
        assert!(s.trace().is_none());
        let s = s.reduce(Action::EditInput("{\"a\": 1}".into()));
        assert!(s.analysis.input_diagnostics.is_empty());
        assert!(s.trace().is_some());
    }

    #[test]
    fn undo_redo_and_format_are_undoable() {
        let s = state().reduce(Action::EditDefinition("{\"a\":1}".into()));
        let s = s.reduce(Action::Format);
        assert_eq!(s.docs.definition, "{\n  \"a\": 1\n}");
        let s = s.reduce(Action::Undo);
        assert_eq!(s.docs.definition, "{\"a\":1}");
        let s = s.reduce(Action::Undo);
        assert_eq!(s.docs.definition, SAMPLES[0].definition);
        assert!(!s.can_undo());
        let s = s.reduce(Action::Redo).reduce(Action::Redo);
        assert_eq!(s.docs.definition, "{\n  \"a\": 1\n}");
        assert!(!s.can_redo());
    }

    #[test]
    fn undoing_new_work_brings_the_outcomes_back_and_typing_leaves_them() {
        let with_outcomes = failing_batch(3);
        let injected = with_outcomes.outcomes.clone();
        assert!(!injected.is_empty());
        // Opening a definition file clears the outcomes; undo restores them, redo clears again.
        let opened = with_outcomes.reduce(Action::OpenDefinition(
            r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#.into(),
        ));
        assert!(opened.outcomes.is_empty());
        let back = opened.reduce(Action::Undo);
        assert_eq!(back.outcomes, injected);
        assert_eq!(back.docs.definition, SAMPLES[0].definition);
        let again = back.reduce(Action::Redo);
        assert!(again.outcomes.is_empty());
        // So does loading a sample.
        let sample = failing_batch(3).reduce(Action::LoadSample(SAMPLES[1].id));
        assert!(sample.outcomes.is_empty());
        assert_eq!(sample.reduce(Action::Undo).outcomes, injected);
        // Typing does not carry outcomes: an outcome set after an edit survives undoing it.
        let typed = state().reduce(Action::EditInput("{\"a\": 1}".into()));
        let typed = typed.reduce(Action::SetOutcomes(injected.clone()));
        let undone = typed.reduce(Action::Undo);
        assert_ne!(undone.docs.input, "{\"a\": 1}");
        assert_eq!(undone.outcomes, injected);
    }

    #[test]
    fn new_work_with_a_broken_definition_shows_no_previous_graph() {
        let s = state();
        assert!(s.analysis.graph.is_some());
        let broken = s.reduce(Action::OpenDefinition("{ \"StartAt\": ".into()));
        assert!(broken.analysis.graph.is_none());
        assert!(!broken.analysis.parsed.diagnostics.is_empty());
        let envelope = Envelope {
            definition: Some("{ not json".into()),
            ..Envelope::default()
        };
        let linked = state().reduce(Action::OpenEnvelope(Box::new(envelope)));
        assert!(linked.analysis.graph.is_none());
        // An edit that breaks the definition still keeps the last valid graph, dimmed.
        let edited = state().reduce(Action::EditDefinition("{ \"StartAt\": ".into()));
        assert!(edited.analysis.graph.is_some() && edited.analysis.graph_stale);
    }

    #[test]
    fn typing_a_word_is_one_undo_step() {
        let mut s = state().reduce(Action::EditInput(String::new()));
        for text in ["a", "ab", "abc"] {
            s = s.reduce(Action::EditInput(text.into()));
        }
        let s = s.reduce(Action::Undo);
        assert_eq!(s.docs.input, "");
        assert!(is_typing("ab", "abc"));
        assert!(is_typing("ac", "abc"));
        assert!(!is_typing("ab", "ab "));
        assert!(!is_typing("ab", "xyz"));
    }

    #[test]
    fn stepping_by_event_and_by_state() {
        let s = state();
        let len = s.trace().unwrap().events.len();
        let s = s.reduce(Action::StepForward);
        assert_eq!(s.cursor, 1);
        let s = s
            .reduce(Action::SetStepBy(StepBy::State))
            .reduce(Action::StepForward);
        // ExecutionStarted, then the first state's Entered event.
        assert_eq!(s.cursor, 2);
        let s = s.reduce(Action::StepForward);
        let trace = s.trace().unwrap();
        assert!(
            trace.events[s.cursor - 1]
                .kind
                .as_str()
                .ends_with("StateEntered")
        );
        let back = s.clone().reduce(Action::StepBack);
        assert_eq!(back.cursor, 2);
        let end = s.reduce(Action::RunToEnd);
        assert_eq!(end.cursor, len);
        assert_eq!(end.clone().reduce(Action::StepForward).cursor, len);
        assert_eq!(end.reduce(Action::Reset).cursor, 0);
    }

    #[test]
    fn outcomes_change_the_trace_and_ask_mode_asks() {
        let fail = planned(Outcome::Throw {
            error: "States.TaskFailed".into(),
            cause: "boom".into(),
        });
        let s = state();
        let mut s = s;
        for n in 0..3 {
            s = s.reduce(Action::SetOutcome {
                state: "Submit Batch Job".into(),
                invocation: n,
                outcome: Some(fail.clone()),
            });
        }
        let trace = s.trace().unwrap();
        assert!(trace.steps.iter().any(|st| st.state == "Notify Failure"));
        assert_eq!(s.outcomes.get("Submit Batch Job").map(Vec::len), Some(3));

        let s = state()
            .reduce(Action::SetAsk(true))
            .reduce(Action::RunToEnd);
        let q = s.question.clone().expect("asked about the first attempt");
        assert_eq!(q.state, "Submit Batch Job");
        assert_eq!(q.invocation, 0);
        let s = s.reduce(Action::Answer(fail));
        assert!(s.question.is_none());
        assert_eq!(
            s.outcome("Submit Batch Job", 0).map(|p| p.outcome.clone()),
            Some(Outcome::Throw {
                error: "States.TaskFailed".into(),
                cause: "boom".into(),
            })
        );
    }

    #[test]
    fn a_scenario_survives_a_share_link() {
        let fail = planned(Outcome::Throw {
            error: "States.TaskFailed".into(),
            cause: "boom".into(),
        });
        let mut s = state().reduce(Action::SetOutcome {
            state: "Submit Batch Job".into(),
            invocation: 1,
            outcome: Some(fail),
        });
        for _ in 0..5 {
            s = s.reduce(Action::StepForward);
        }
        let s = s
            .reduce(Action::Select(Some("Submit Batch Job".into())))
            .reduce(Action::SetStepBy(StepBy::State))
            .reduce(Action::EditInput("{ \"x\": 1 }\n".into()));
        let link = share::encode(&s.envelope()).expect("encodes");
        let envelope = share::decode(&link).expect("decodes");
        let opened = Rc::new(State::from_sample(&SAMPLES[1]))
            .reduce(Action::OpenEnvelope(Box::new(envelope)));
        assert_eq!(opened.docs, s.docs);
        assert_eq!(opened.outcomes, s.outcomes);
        assert_eq!(opened.cursor, 5);
        assert_eq!(opened.cursor, s.cursor);
        assert_eq!(opened.selected, s.selected);
        assert_eq!(opened.step_by, StepBy::State);
        assert_eq!(opened.sample, s.sample);
        assert_eq!(opened.envelope(), s.envelope());

        // A cursor past the end is clamped; an unknown selection is dropped.
        let mut far = s.envelope();
        far.cursor = Some(10_000);
        far.selected = Some("Nowhere".into());
        let opened = state().reduce(Action::OpenEnvelope(Box::new(far)));
        assert_eq!(opened.cursor, opened.trace().map_or(0, |t| t.events.len()));
        assert_eq!(opened.selected, None);
    }

    #[test]
    fn a_dismissed_storage_warning_stays_dismissed_until_storage_recovers() {
        let full = || Action::StorageWarning("Autosave failed: storage is full.".into(), None);
        let s = state().reduce(full());
        assert!(s.storage_warning.is_some());
        let s = s.reduce(Action::DismissStorageWarning).reduce(full());
        assert!(
            s.storage_warning.is_none(),
            "the next failed write does not bring it back"
        );
        let other = s
            .clone()
            .reduce(Action::StorageWarning("Autosave is off".into(), None));
        assert!(other.storage_warning.is_some(), "another problem is shown");
        let s = s.reduce(Action::ClearStorageWarning).reduce(full());
        assert!(
            s.storage_warning.is_some(),
            "after a good write, a new failure is shown"
        );
    }
}
