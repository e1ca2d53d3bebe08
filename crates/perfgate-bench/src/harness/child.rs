//! `BINARY __callgrind-child --bench NAME …`: runs one benchmark for
//! `perfgate run --metric instructions`: uncounted warm-up iterations, then the counted
//! ones inside the function callgrind collects; prints the CPU features.

use super::context::{Driver, Mode, Reached};
use super::{EXIT_USAGE, Group, run_mode};
use crate::callgrind::{ChildArgs, EXIT_BENCH_FAILED, features_line};
use crate::routine::{Routine, Window};

/// Runs the child; returns its exit code.
pub fn run(groups: &[Group], args: &[String]) -> i32 {
    let args = match ChildArgs::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let done = run_mode(
        groups,
        Child {
            args,
            outcome: None,
        },
    );
    match done.outcome {
        Some(Ok(())) => {
            println!("{}", features_line());
            0
        }
        Some(Err(e)) => {
            eprintln!("{e}");
            EXIT_BENCH_FAILED
        }
        None => {
            eprintln!("no benchmark named {:?}", done.args.bench);
            EXIT_BENCH_FAILED
        }
    }
}

struct Child {
    args: ChildArgs,
    outcome: Option<Result<(), String>>,
}

impl Mode for Child {
    fn wants(&mut self, id: &str) -> bool {
        self.outcome.is_none() && id == self.args.bench
    }

    fn driver(&mut self) -> &mut dyn Driver {
        self
    }

    fn finished(&mut self, _id: &str, called_iter: bool, panic: Option<String>) {
        self.outcome = Some(match (panic, called_iter) {
            (Some(p), _) => Err(p),
            (None, false) => Err("the benchmark did not call an iter method".to_string()),
            (None, true) => Ok(()),
        });
    }
}

impl Driver for Child {
    fn drive(&mut self, _reached: &Reached<'_>, routine: &mut dyn Routine) {
        routine.run(self.args.warmup, &mut Window::new(None));
        routine.run(self.args.iterations, &mut Window::for_callgrind());
    }
}
