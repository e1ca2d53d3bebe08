//! A pretty JSON formatter that keeps arrays of numbers on one line, so a baseline with
//! thousands of samples stays readable and a bless shows up as a small, line-based diff.

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// Layout of one open array.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    /// No element seen yet.
    Undecided,
    /// Elements are numbers: `[1, 2, 3]` on one line.
    Inline,
    /// Elements are objects, arrays or strings: one per line.
    Block,
}

/// Two-space indented JSON; arrays whose first element is a number stay on one line.
#[derive(Debug, Default)]
pub(super) struct CompactArrays {
    indent: usize,
    arrays: Vec<Layout>,
    first_pending: bool,
    has_value: bool,
}

impl CompactArrays {
    fn newline<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..self.indent {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// Called before every value: decides the layout of an array on its first element.
    fn value<W: ?Sized + Write>(&mut self, w: &mut W, number: bool) -> io::Result<()> {
        if !std::mem::take(&mut self.first_pending) {
            return Ok(());
        }
        let top = self
            .arrays
            .last_mut()
            .expect("pending implies an open array");
        if number {
            *top = Layout::Inline;
            Ok(())
        } else {
            *top = Layout::Block;
            self.indent += 1;
            self.newline(w)
        }
    }
}

macro_rules! number {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W, v: $t) -> io::Result<()> {
            self.value(w, true)?;
            serde_json::ser::CompactFormatter.$name(w, v)
        }
    )*};
}

impl Formatter for CompactArrays {
    number!(write_i8: i8, write_i16: i16, write_i32: i32, write_i64: i64, write_i128: i128,
        write_u8: u8, write_u16: u16, write_u32: u32, write_u64: u64, write_u128: u128,
        write_f32: f32, write_f64: f64);

    fn write_null<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(b"null")
    }

    fn write_bool<W: ?Sized + Write>(&mut self, w: &mut W, v: bool) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(if v { b"true" } else { b"false" })
    }

    fn write_number_str<W: ?Sized + Write>(&mut self, w: &mut W, v: &str) -> io::Result<()> {
        self.value(w, true)?;
        w.write_all(v.as_bytes())
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        w.write_all(b"\"")
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        self.arrays.push(Layout::Undecided);
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.first_pending = false;
        if self.arrays.pop() == Some(Layout::Block) {
            self.indent -= 1;
            self.newline(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first {
            self.first_pending = true;
            return Ok(());
        }
        match self.arrays.last() {
            Some(Layout::Block) => {
                w.write_all(b",")?;
                self.newline(w)
            }
            _ => w.write_all(b", "),
        }
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.value(w, false)?;
        self.indent += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.indent -= 1;
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn render<T: Serialize>(v: &T) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, CompactArrays::default());
        v.serialize(&mut ser).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn number_arrays_stay_on_one_line_and_the_rest_is_indented() {
        let v = serde_json::json!({
            "a": [1.5, 2.0, 3],
            "b": [[1, 2], [3]],
            "c": [{"x": "y"}, {}],
            "d": [],
            "e": {"f": null, "g": true}
        });
        let text = render(&v);
        let want = "{\n  \"a\": [1.5, 2.0, 3],\n  \"b\": [\n    [1, 2],\n    [3]\n  ],\n  \
                    \"c\": [\n    {\n      \"x\": \"y\"\n    },\n    {}\n  ],\n  \"d\": [],\n  \
                    \"e\": {\n    \"f\": null,\n    \"g\": true\n  }\n}";
        assert_eq!(text, want);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }
}
