# A-normal-form chains (λLL has no plain `let x = t in s`: it is the β-redex
# `(fun (x : A) -> s) t`), as the encoding of Linear A produces them: each step is one
# let and at most one constant application.

def step : !real -o !real =
  fun (b : !real) -> let !u = b in !(sin !(mul !u !u))

def chain : !real -o real =
  fun (b0 : !real) ->
    let !x0 = b0 in
    let !x1 = !(mul !x0 !x0) in
    let !x2 = !(sin !x1) in
    let !x3 = !(add !x2 !x0) in
    let !x4 = step !x3 in
    let !x5 = step !x4 in
    let !x6 = !(exp !x5) in
    div !x6 !(add !x6 !1.0)

def tangent_chain : !real -o real -o real =
  fun (b : !real) -> fun (dx : real) ->
    let !x = b in
    let (d1, d2) = dup dx in
    let (d3, d4) = dup d1 in
    (fun (t1 : real) -> plus t1 (plus (scale !2.0 d4) d2)) (scale !x d3)

def run_chain : real = chain !0.75
