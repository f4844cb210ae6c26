# SYNTAX TEST "source.xpc-asm" "statements, operands and comments"
        .equ    COUNT, 3
#       ^^^^ keyword.control.directive.xpc-asm
#               ^^^^^ variable.other.constant.xpc-asm
#                      ^ constant.numeric.decimal.xpc-asm
_start: li      a0, 0x10 # a comment
# <------ entity.name.label.xpc-asm
#     ^ punctuation.separator.label.xpc-asm
#       ^^ keyword.other.instruction.xpc-asm
#               ^^ variable.other.register.xpc-asm
#                 ^ punctuation.separator.xpc-asm
#                   ^^^^ constant.numeric.hex.xpc-asm
#                        ^^^^^^^^^^^ comment.line.number-sign.xpc-asm
        csrrw   x5, xcap, t6
#       ^^^^^ keyword.other.instruction.xpc-asm
#               ^^ variable.other.register.xpc-asm
#                   ^^^^ variable.language.csr.xpc.xpc-asm
        csrr    t0, mstatus
#                   ^^^^^^^ variable.language.csr.xpc-asm
        xcall   a0
#       ^^^^^ keyword.other.instruction.xpc.xpc-asm
        c.addi  sp, -16
#       ^^^^^^ keyword.other.instruction.xpc-asm
#               ^^ variable.other.register.xpc-asm
#                   ^ keyword.operator.xpc-asm
        lui     a1, %hi(message)
#                   ^^^ support.function.relocation.xpc-asm
1:      j       1b
# <- entity.name.label.xpc-asm
#               ^^ entity.name.label.reference.local.xpc-asm
        .asciz  "hi\n" // done
#               ^^^^^^ string.quoted.double.xpc-asm
#                  ^^ constant.character.escape.xpc-asm
#                      ^^^^^^^ comment.line.double-slash.xpc-asm
        nop; ret
#       ^^^ keyword.other.instruction.xpc-asm
#          ^ punctuation.separator.xpc-asm
#            ^^^ keyword.other.instruction.xpc-asm
