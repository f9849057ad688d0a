#!/usr/bin/env python3
"""Close an X window by its name as a window manager would: send it
WM_DELETE_WINDOW (libX11 through ctypes; for display_xvfb.sh).

  x_close_window.py NAME    exit 0 when sent, 1 when no such window
"""
import ctypes
import ctypes.util
import sys

x = ctypes.CDLL(ctypes.util.find_library('X11'))
x.XOpenDisplay.restype = ctypes.c_void_p
x.XDefaultRootWindow.restype = ctypes.c_ulong
x.XInternAtom.restype = ctypes.c_ulong
d = x.XOpenDisplay(None)
if not d:
    sys.exit('no display')
root = x.XDefaultRootWindow(ctypes.c_void_p(d))
def children(w):
    r = ctypes.c_ulong(); p = ctypes.c_ulong(); kids = ctypes.POINTER(ctypes.c_ulong)(); n = ctypes.c_uint()
    x.XQueryTree(ctypes.c_void_p(d), ctypes.c_ulong(w), ctypes.byref(r), ctypes.byref(p), ctypes.byref(kids), ctypes.byref(n))
    return [kids[i] for i in range(n.value)]
def name(w):
    s = ctypes.c_char_p()
    if x.XFetchName(ctypes.c_void_p(d), ctypes.c_ulong(w), ctypes.byref(s)) and s.value: return s.value.decode()
    return None
target = None
stack = [root]
while stack:
    w = stack.pop()
    if name(w) == sys.argv[1]: target = w; break
    stack.extend(children(w))
if not target:
    sys.exit('window not found')
class XClientMessageEvent(ctypes.Structure):
    _fields_ = [('type', ctypes.c_int), ('serial', ctypes.c_ulong), ('send_event', ctypes.c_int), ('display', ctypes.c_void_p), ('window', ctypes.c_ulong), ('message_type', ctypes.c_ulong), ('format', ctypes.c_int), ('data', ctypes.c_long * 5)]
class XEvent(ctypes.Union):
    _fields_ = [('xclient', XClientMessageEvent), ('pad', ctypes.c_long * 24)]
ev = XEvent()
ev.xclient.type = 33  # ClientMessage
ev.xclient.window = target
ev.xclient.message_type = x.XInternAtom(ctypes.c_void_p(d), b'WM_PROTOCOLS', 0)
ev.xclient.format = 32
ev.xclient.data[0] = x.XInternAtom(ctypes.c_void_p(d), b'WM_DELETE_WINDOW', 0)
x.XSendEvent(ctypes.c_void_p(d), ctypes.c_ulong(target), 0, 0, ctypes.byref(ev))
x.XFlush(ctypes.c_void_p(d))
print('closed', hex(target))
