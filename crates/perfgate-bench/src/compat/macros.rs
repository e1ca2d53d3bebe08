//! `criterion_group!` and `criterion_main!`, with criterion's syntax.

/// Defines a `pub fn NAME()` running the targets with one `Criterion`: either
/// `criterion_group!(name, target, …)` or
/// `criterion_group! { name = NAME; config = EXPR; targets = target, … }`.
#[macro_export]
macro_rules! criterion_group {
    (name = $name:ident; config = $config:expr; targets = $( $target:path ),+ $(,)*) => {
        /// A group of benchmarks (criterion_group!).
        pub fn $name() {
            let mut criterion: $crate::Criterion<_> = $config.configure_from_args();
            $(
                $target(&mut criterion);
            )+
        }
    };
    ($name:ident, $( $target:path ),+ $(,)*) => {
        $crate::criterion_group! {
            name = $name;
            config = $crate::Criterion::default();
            targets = $( $target ),+
        }
    };
}

/// Defines `main` for the bench binary from one or more groups: standalone under
/// `cargo bench`, a perfgate worker when perfgate starts it.
#[macro_export]
macro_rules! criterion_main {
    ( $( $group:path ),+ $(,)* ) => {
        fn main() {
            $crate::harness::main(&[ $( $group as $crate::harness::Group ),+ ]);
        }
    };
}
