# Higher-order linear functions: composition, currying, continuations.

def compose : (real -o real) -o (real -o real) -o real -o real =
  fun (f : real -o real) -> fun (g : real -o real) -> fun (x : real) -> f (g x)

def curry : (real * real -o real) -o real -o real -o real =
  fun (f : real * real -o real) -> fun (x : real) -> fun (y : real) -> f (x, y)

def uncurry : (real -o real -o real) -o real * real -o real =
  fun (f : real -o real -o real) -> fun (p : real * real) ->
    let (x, y) = p in f x y

# a continuation-passing linear map
def cps : real -o (real -o real) -o real =
  fun (x : real) -> fun (k : real -o real) -> k (plus x 1.0)

# a function used many times must be banged
def twice : !(real -o real) -o real -o real =
  fun (bf : !(real -o real)) -> let !f = bf in fun (x : real) -> f (f x)

def add_pair : real * real -o real =
  uncurry (fun (a : real) -> fun (b : real) -> plus a b)

def seven : real =
  compose (fun (a : real) -> plus a 1.0) (fun (b : real) -> scale !2.0 b) 3.0

def quad : real = twice !(fun (y : real) -> scale !2.0 y) 1.5

def via_cps : real = cps 2.0 (fun (r : real) -> scale !3.0 r)

def curried : real = curry (fun (p : real * real) -> let (a, b) = p in plus a b) 1.0 2.0
