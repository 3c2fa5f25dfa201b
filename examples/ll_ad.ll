# Automatic differentiation by hand in λLL: forward tangents are linear in dx,
# reverse mode returns the primal with a linear backpropagator closure.

# f(x) = sin(x)·x; forward mode: (f x, f'(x)·dx)
def f_jvp : !real -o real -o !real * real =
  fun (bx : !real) -> fun (dx : real) ->
    let !x = bx in
    let !s = !(sin !x) in
    let !c = !(cos !x) in
    let (d1, d2) = dup dx in
    (!(mul !s !x), plus (scale !(mul !c !x) d1) (scale !s d2))

# reverse mode: the backpropagator's closure environment is the tape
def f_vjp : !real -o !real * (real -o real) =
  fun (bx : !real) ->
    let !x = bx in
    let !s = !(sin !x) in
    let !c = !(cos !x) in
    (!(mul !s !x), fun (ct : real) -> scale !(add !(mul !c !x) !s) ct)

# g(x, y) = x·y + exp(x); its gradient applied to a cotangent
def g_vjp : !real -o !real -o !real * (real -o real * real) =
  fun (bx : !real) -> fun (by : !real) ->
    let !x = bx in let !y = by in
    let !e = !(exp !x) in
    (!(add !(mul !x !y) !e),
     fun (ct : real) -> let (c1, c2) = dup ct in (scale !(add !y !e) c1, scale !x c2))

def grad_f_at_1 : real =
  let (primal, back) = f_vjp !1.0 in let !p = primal in back 1.0

def grad_g : real * real =
  let (primal, back) = g_vjp !1.0 !2.0 in let !p = primal in back 1.0

def tangent_f : real =
  let (primal, t) = f_jvp !0.5 2.0 in let !p = primal in t
