# The exponential !: dereliction, contraction, weakening, digging, functoriality.

def derelict : !real -o real =
  fun (b : !real) -> let !u = b in u

def contract : !real -o !real * !real =
  fun (b : !real) -> let !u = b in (!u, !u)

def weaken : !real -o 1 =
  fun (b : !real) -> let !u = b in ()

def dig : !real -o !!real =
  fun (b : !real) -> let !u = b in !!u

# ! is a functor: a banged function maps banged arguments
def bang_map : !(real -o real) -o !real -o !real =
  fun (bf : !(real -o real)) -> fun (b : !real) ->
    let !f = bf in let !u = b in !(f u)

# a non-linear polynomial: u³ - 2u
def cubic : !real -o real =
  fun (b : !real) -> let !u = b in sub !(mul !u !(mul !u !u)) !(mul !2.0 !u)

def exp_log : !real -o real =
  fun (b : !real) -> let !u = b in log !(exp !u)

def shared : real =
  let !v = !(exp !1.0) in plus (derelict !v) (mul !v !v)

def digged : real = let !bb = dig !2.0 in let !inner = bb in inner

def mapped : real = let !r = bang_map !(fun (y : real) -> let (a, b) = dup y in plus a b) !1.5 in r
