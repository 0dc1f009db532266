pub fn f(n: usize) -> Vec<usize> {
    // memlint: allow(vec_push_without_capacity) reason
    let mut v = Vec::new();
    for i in 0..n {
        v.push(i);
    }
    v
}
// memlint: allow-file(clone_in_loop)
#[cfg_attr(memlint, allow(memlint::vec_box))]
pub struct S { v: Vec<Box<u8>> }
