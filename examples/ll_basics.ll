# λLL basics: the structural rules of DILL made explicit.
# Linear variables are used exactly once; `dup` copies and `drop` discards data,
# `!` marks what may be used freely.

def id : real -o real =
  fun (x : real) -> x

# x + x: the copy is explicit
def double : real -o real =
  fun (x : real) -> let (a, b) = dup x in plus a b

# discarding needs drop; zero is a constant
def forget : real -o real =
  fun (x : real) -> let () = drop x in zero

# a non-linear square: the argument is banged
def square : !real -o real =
  fun (b : !real) -> let !u = b in mul !u !u

# scaling a linear input by a non-linear factor
def scale_by : !real -o real -o real =
  fun (b : !real) -> fun (y : real) -> let !u = b in scale !u y

def swap : real * real -o real * real =
  fun (p : real * real) -> let (a, b) = p in (b, a)

def unit_elim : 1 * real -o real =
  fun (p : 1 * real) -> let (o, x) = p in let () = o in x

def nine : real = square !3.0

def four : real = double (scale_by !4.0 0.5)

def pair_sum : real = let (a, b) = swap (1.25, -2.5) in plus a b
