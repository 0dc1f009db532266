trait Parse {
    #[memlint::memtrack]
    fn parse(&self, text: &str) -> u32;
}

fn main() {}
