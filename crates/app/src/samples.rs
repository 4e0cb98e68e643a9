//! The sample gallery: AWS's sample state machines, shipped with the page.
//!
//! These are copies of `shared/samples/*.asl.json`, kept identical (a test compares them
//! when the shared folder is present).

pub struct Sample {
    /// File name without `.asl.json`; `?sample=<id>` opens it.
    pub id: &'static str,
    pub title: &'static str,
    pub definition: &'static str,
    pub input: &'static str,
    /// One of AWS's sample projects (kept identical to `shared/samples/`), or a teaching
    /// sample of Stepwise's own.
    pub aws: bool,
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "batch-retry-catch-notify",
        title: "Use Step Functions and AWS Batch with error handling",
        definition: include_str!("../samples/batch-retry-catch-notify.asl.json"),
        input: "{}\n",
        aws: true,
    },
    Sample {
        id: "batch-catch-notify",
        title: "Manage a Batch Job",
        definition: include_str!("../samples/batch-catch-notify.asl.json"),
        input: "{}\n",
        aws: true,
    },
    Sample {
        id: "batch-with-lambda",
        title: "AWS Batch with Lambda",
        definition: include_str!("../samples/batch-with-lambda.asl.json"),
        input: "{}\n",
        aws: true,
    },
    Sample {
        id: "batch-fan-out-map",
        title: "Fan out an AWS Batch job",
        definition: include_str!("../samples/batch-fan-out-map.asl.json"),
        input: "{}\n",
        aws: true,
    },
    Sample {
        id: "parallel-failing-branch",
        title: "Teaching: Parallel with a failing branch",
        definition: include_str!("../samples/parallel-failing-branch.asl.json"),
        input: "{\n  \"orderId\": \"o-1234\",\n  \"amount\": 42\n}\n",
        aws: false,
    },
    Sample {
        id: "choice-with-default",
        title: "Teaching: Choice with Default",
        definition: include_str!("../samples/choice-with-default.asl.json"),
        input: "{\n  \"priority\": \"normal\",\n  \"customer\": {\n    \"tier\": \"free\"\n  }\n}\n",
        aws: false,
    },
    Sample {
        id: "wait-and-task-timeout",
        title: "Teaching: Wait and a Task timeout",
        definition: include_str!("../samples/wait-and-task-timeout.asl.json"),
        input: "{\n  \"reportId\": \"r-7\"\n}\n",
        aws: false,
    },
    Sample {
        id: "map-tolerated-failures",
        title: "Teaching: Map with tolerated failures",
        definition: include_str!("../samples/map-tolerated-failures.asl.json"),
        input: "{\n  \"images\": [\"a.png\", \"b.png\", \"c.png\"]\n}\n",
        aws: false,
    },
];

pub fn find(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_identical_to_the_shared_ones() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples");
        if !std::path::Path::new(dir).is_dir() {
            eprintln!("skipped: {dir} is absent (outside the Stepwise workspace)");
            return;
        }
        for sample in SAMPLES.iter().filter(|s| s.aws) {
            let path = format!("{dir}/{}.asl.json", sample.id);
            let shared = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                shared, sample.definition,
                "{path} differs from the app's copy"
            );
        }
        let count = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".asl.json"))
            .count();
        let aws = SAMPLES.iter().filter(|s| s.aws).count();
        assert_eq!(count, aws, "a shared sample is missing from the gallery");
    }

    #[test]
    fn every_sample_is_valid_and_runs() {
        for sample in SAMPLES {
            let parsed = stepwise_asl::parse(sample.definition);
            let errors: Vec<_> = parsed.errors().collect();
            assert!(errors.is_empty(), "{}: {errors:?}", sample.id);
            let input: stepwise_asl::json::Value = serde_json::from_str(sample.input).unwrap();
            let machine = parsed.machine.unwrap();
            let trace = stepwise_engine::simulate(&machine, &input, &Default::default());
            assert!(!trace.events.is_empty(), "{} did not run", sample.id);
        }
    }

    #[test]
    fn ids_are_unique_and_findable() {
        for sample in SAMPLES {
            assert_eq!(find(sample.id).map(|s| s.title), Some(sample.title));
        }
        assert!(find("nope").is_none());
    }
}
