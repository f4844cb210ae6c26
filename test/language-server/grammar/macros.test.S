# SYNTAX TEST "source.xpc-asm" "macros, preprocessor and block comments"
#define UART_BASE 0x10000000
# <- meta.preprocessor.xpc-asm keyword.control.directive.xpc-asm
#^^^^^^ meta.preprocessor.xpc-asm keyword.control.directive.xpc-asm
#       ^^^^^^^^^ entity.name.function.preprocessor.xpc-asm
#                 ^^^^^^^^^^ constant.numeric.hex.xpc-asm
#include <defs.h>
#        ^^^^^^^^ string.quoted.other.lt-gt.include.xpc-asm
        .macro  push reg
#       ^^^^^^ keyword.control.directive.xpc-asm
#               ^^^^ entity.name.function.macro.xpc-asm
        sd      \reg, 0(sp)
#               ^^^^ variable.parameter.macro.xpc-asm
#                       ^^ variable.other.register.xpc-asm
        .endm
#       ^^^^^ keyword.control.directive.xpc-asm
        push    ra
#       ^^^^ entity.name.function.macro.call.xpc-asm
/* a block
   comment */ nop
# <------------- comment.block.xpc-asm
#             ^^^ - keyword.other.instruction.xpc-asm
