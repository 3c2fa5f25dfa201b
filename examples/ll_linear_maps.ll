# Linear maps on data types D ::= real | 1 | D * D, parameterised by non-linear
# (banged) reals: each is jointly linear in its linear arguments (theorem L3).

# the 2-d rotation-like map (c, s) ↦ [[c, -s], [s, c]]
def rotate : !real -o !real -o real * real -o real * real =
  fun (bc : !real) -> fun (bs : !real) -> fun (v : real * real) ->
    let !c = bc in let !s = bs in
    let (x, y) = v in
    let (x1, x2) = dup x in
    let (y1, y2) = dup y in
    (plus (scale !c x1) (scale !(neg !s) y1), plus (scale !s x2) (scale !c y2))

# a linear combination of two vectors
def axpy : !real -o real * real -o real * real -o real * real =
  fun (ba : !real) -> fun (x : real * real) -> fun (y : real * real) ->
    let !a = ba in plus[real * real] (scale[real * real] !a x) y

# the tangent of sin: x ↦ (sin x, cos x · dx)
def sin_jvp : !real -o real -o !real * real =
  fun (bx : !real) -> fun (dx : real) ->
    let !x = bx in (!(sin !x), scale !(cos !x) dx)

# the tangent map of (x, y) ↦ x·y at a point, applied to (dx, dy)
def mul_tangent : !real -o !real -o real -o real -o real =
  fun (bx : !real) -> fun (by : !real) -> fun (dx : real) -> fun (dy : real) ->
    let !x = bx in let !y = by in plus (scale !y dx) (scale !x dy)

# sum of the components of a triple, with a unit in the middle
def sum3 : real * (1 * (real * real)) -o real =
  fun (t : real * (1 * (real * real))) ->
    let (a, rest) = t in let (o, bc) = rest in let () = o in
    let (b, c) = bc in plus a (plus b c)

# dropping part of the input is linear too (the zero map on it)
def first : real * real -o real =
  fun (p : real * real) -> let (a, b) = p in let () = drop b in a

def fan_out : real -o (real * real) * 1 =
  fun (x : real) -> (dup x, ())

def rotated : real * real = rotate !0.0 !1.0 (1.0, 2.0)

def tangent : real = mul_tangent !2.0 !3.0 1.0 0.5
