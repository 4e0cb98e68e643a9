//! Reading the trace at the cursor: what each state looks like, the virtual clock, the
//! step in progress. Pure functions over the engine's [`Trace`], shared by every view
//! (graph colours, inspector, timeline, status line) so they always agree.

use stepwise_asl::vecmap::VecMap;
use stepwise_engine::{Step, Trace};

/// A state's look at the cursor, as the graph colours it (AWS's palette).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StateStatus {
    NotRun,
    InProgress,
    Succeeded,
    Caught,
    Failed,
}

impl StateStatus {
    /// The `data-status` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            StateStatus::NotRun => "not-run",
            StateStatus::InProgress => "in-progress",
            StateStatus::Succeeded => "succeeded",
            StateStatus::Caught => "caught",
            StateStatus::Failed => "failed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StateStatus::NotRun => "Not run",
            StateStatus::InProgress => "In progress",
            StateStatus::Succeeded => "Succeeded",
            StateStatus::Caught => "Caught",
            StateStatus::Failed => "Failed",
        }
    }
}

/// How one visit looks once the cursor has revealed `cursor` events.
pub fn step_status(step: &Step, cursor: usize) -> StateStatus {
    let cursor = cursor as u64;
    if u64::from(step.first_event) > cursor {
        StateStatus::NotRun
    } else if u64::from(step.last_event) > cursor {
        StateStatus::InProgress
    } else {
        match (&step.error, &step.next) {
            (None, _) => StateStatus::Succeeded,
            (Some(_), Some(_)) => StateStatus::Caught,
            (Some(_), None) => StateStatus::Failed,
        }
    }
}

/// The status of every state that has a visit at the cursor. A state visited several
/// times (loops, Map iterations) shows its most significant visit so far: in progress
/// beats failed beats caught beats succeeded.
pub fn statuses_at(trace: &Trace, cursor: usize) -> VecMap<&str, StateStatus> {
    let mut out: VecMap<&str, StateStatus> = VecMap::new();
    for step in &trace.steps {
        let status = step_status(step, cursor);
        if status == StateStatus::NotRun {
            continue;
        }
        let rank = |s: StateStatus| match s {
            StateStatus::InProgress => 4,
            StateStatus::Failed => 3,
            StateStatus::Caught => 2,
            StateStatus::Succeeded => 1,
            StateStatus::NotRun => 0,
        };
        let entry = out.get_or_insert_with(step.state.as_str(), || status);
        if rank(status) > rank(*entry) {
            *entry = status;
        }
    }
    out
}

/// Virtual time at the cursor, in milliseconds since the execution started.
pub fn clock_at(trace: &Trace, cursor: usize) -> u64 {
    cursor
        .checked_sub(1)
        .and_then(|i| trace.events.get(i))
        .map_or(0, |e| e.elapsed_ms)
}

/// `T+mm:ss` (and hours when needed) for a virtual time.
pub fn format_clock(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("T+{h}:{m:02}:{s:02}")
    } else {
        format!("T+{m:02}:{s:02}")
    }
}

/// The index of the visit the cursor is in: the last visit that the last revealed event
/// belongs to (innermost wins for nested states).
pub fn current_step(trace: &Trace, cursor: usize) -> Option<usize> {
    let id = u32::try_from(cursor).ok()?;
    trace
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.first_event <= id && id <= s.last_event)
        .max_by_key(|(_, s)| (s.first_event, s.scope.len()))
        .map(|(i, _)| i)
}

/// The latest visit of `state` that has started by the cursor (or its first visit when
/// none has yet).
pub fn visit_of(trace: &Trace, state: &str, cursor: usize) -> Option<usize> {
    let visits = || {
        trace
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.state == state)
    };
    visits()
        .rfind(|(_, s)| (s.first_event as usize) <= cursor)
        .or_else(|| visits().next())
        .map(|(i, _)| i)
}

/// The execution's status line at the cursor, e.g. "Running", "Succeeded".
pub fn execution_status(trace: &Trace, cursor: usize) -> &'static str {
    if cursor == 0 {
        "Not started"
    } else if cursor < trace.events.len() {
        "Running"
    } else {
        match trace.status.as_str() {
            "SUCCEEDED" => "Succeeded",
            "FAILED" => "Failed",
            "TIMED_OUT" => "Timed out",
            _ => "Aborted",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::failing_batch;

    #[test]
    fn statuses_follow_the_cursor() {
        let s = failing_batch(3);
        let trace = s.trace().unwrap();
        assert!(statuses_at(trace, 0).is_empty());
        assert_eq!(
            statuses_at(trace, 2).get("Submit Batch Job"),
            Some(&StateStatus::InProgress)
        );
        let end = statuses_at(trace, trace.events.len());
        assert_eq!(end.get("Submit Batch Job"), Some(&StateStatus::Caught));
        assert_eq!(end.get("Notify Failure"), Some(&StateStatus::Succeeded));
        assert!(!end.contains_key("Notify Success"));
        assert_eq!(execution_status(trace, 0), "Not started");
        assert_eq!(execution_status(trace, 1), "Running");
        assert_eq!(execution_status(trace, trace.events.len()), "Succeeded");
    }

    #[test]
    fn retries_wait_30_then_45_seconds_on_the_clock() {
        let s = failing_batch(3);
        let trace = s.trace().unwrap();
        let failed: Vec<u64> = trace
            .events
            .iter()
            .filter(|e| e.kind.as_str() == "TaskFailed")
            .map(|e| e.elapsed_ms)
            .collect();
        let scheduled: Vec<u64> = trace
            .events
            .iter()
            .filter(|e| e.kind.as_str() == "TaskScheduled")
            .map(|e| e.elapsed_ms)
            .collect();
        assert_eq!(scheduled[1] - failed[0], 30_000);
        assert_eq!(scheduled[2] - failed[1], 45_000);
        assert_eq!(format_clock(clock_at(trace, 0)), "T+00:00");
        assert_eq!(format_clock(3_723_000), "T+1:02:03");
    }

    #[test]
    fn the_current_step_is_the_innermost_visit() {
        let s = failing_batch(1);
        let trace = s.trace().unwrap();
        assert_eq!(current_step(trace, 0), None);
        let i = current_step(trace, 2).unwrap();
        assert_eq!(trace.steps[i].state, "Submit Batch Job");
        assert_eq!(
            visit_of(trace, "Notify Success", 0).map(|i| trace.steps[i].state.as_str()),
            Some("Notify Success")
        );
    }
}
