//! Progress on stderr: an indicatif bar on a terminal, plain lines otherwise (CI logs).
//! Updated only between samples, from the measuring thread, so it never runs inside a
//! timed region or adds a thread that allocates during one.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Reports how many of the run's samples are done.
pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    done: u64,
    next_line_percent: u64,
}

impl Progress {
    /// Progress over `total` samples; a bar when stderr is a terminal, else plain lines.
    pub fn new(total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} samples  {elapsed}  {msg}")
                    .expect("valid template"),
            );
            bar
        });
        Progress {
            bar,
            total: total.max(1),
            done: 0,
            next_line_percent: 10,
        }
    }

    /// Records `samples` more samples taken of benchmark `name`.
    pub fn advance(&mut self, name: &str, samples: u64) {
        self.done += samples;
        match &self.bar {
            Some(bar) => {
                bar.set_message(name.to_string());
                bar.set_position(self.done);
            }
            None => {
                let percent = self.done * 100 / self.total;
                if percent >= self.next_line_percent {
                    eprintln!(
                        "perfgate: {percent}% ({}/{} samples)",
                        self.done, self.total
                    );
                    self.next_line_percent = (percent / 10 + 1) * 10;
                }
            }
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
