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
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "batch-retry-catch-notify",
        title: "Use Step Functions and AWS Batch with error handling",
        definition: include_str!("../samples/batch-retry-catch-notify.asl.json"),
        input: "{}\n",
    },
    Sample {
        id: "batch-catch-notify",
        title: "Manage a Batch Job",
        definition: include_str!("../samples/batch-catch-notify.asl.json"),
        input: "{}\n",
    },
    Sample {
        id: "batch-with-lambda",
        title: "AWS Batch with Lambda",
        definition: include_str!("../samples/batch-with-lambda.asl.json"),
        input: "{}\n",
    },
    Sample {
        id: "batch-fan-out-map",
        title: "Fan out an AWS Batch job",
        definition: include_str!("../samples/batch-fan-out-map.asl.json"),
        input: "{}\n",
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
        for sample in SAMPLES {
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
        assert_eq!(
            count,
            SAMPLES.len(),
            "a shared sample is missing from the gallery"
        );
    }

    #[test]
    fn ids_are_unique_and_findable() {
        for sample in SAMPLES {
            assert_eq!(find(sample.id).map(|s| s.title), Some(sample.title));
        }
        assert!(find("nope").is_none());
    }
}
