# Hand-written ill-typed λLL programs, one per `# expect:` header, which names the
# rule that must reject it and, for structural errors, the LinearityError kind.
# Read by checkers/ill_typed.py; checked by tests/test_ill_typed_corpus.py and L6/L4.

# expect: ⊸E linear-used-twice
def f : real -o real = fun (x : real) -> plus x x

# expect: 1E linear-used-twice
def f : real -o real = fun (x : real) -> let () = drop x in x

# expect: ⊗I linear-used-twice
def f : real -o real * real = fun (x : real) -> (x, x)

# expect: ⊸I linear-unused
def f : real -o real = fun (x : real) -> 1.0

# expect: ⊗E linear-unused
def f : real * real -o real = fun (p : real * real) -> let (a, b) = p in a

# expect: ⊗E linear-unused
def f : real * real -o real = fun (p : real * real) -> let (a, b) = p in b

# expect: !I linear-in-nonlinear
def f : real -o !real = fun (x : real) -> !x

# expect: !I linear-in-nonlinear
def f : real -o real = fun (x : real) -> let !u = !x in u

# expect: !I linear-in-nonlinear
def f : real -o real = fun (x : real) -> sin !(plus x 1.0)

# expect: ⊸E
def f : !real -o real = fun (x : !real) -> let !u = x in sin u

# expect: ⊸E
def f : real = sin !1.0 !2.0

# expect: ⊸E
def f : real = plus (mul !1.0) 1.0

# expect: ⊸E
def f : real = 1.0 2.0

# expect: ⊗E
def f : real -o real = fun (x : real) -> let (a, b) = x in plus a b

# expect: ⊗E
def f : real * real -o real = fun (p : real * real) -> let (a, a) = p in a

# expect: !E
def f : real -o real = fun (x : real) -> let !u = x in u

# expect: 1E
def f : real -o real = fun (x : real) -> let () = x in 1.0

# expect: Const
def f : real = zero[!real]

# expect: Ax
def f : real = y

# expect: def
def f : real * real = 1.0

# Found by fault injection (llad mutants): rules whose comparisons were never exercised.

# expect: ⊸E
def f : real = (fun (x : real * real) -> let (a, b) = x in plus a b) (1.0, ())

# expect: 1E
def f : real -o real = fun (x : real) -> let () = x in 1.0
