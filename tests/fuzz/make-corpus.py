#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora of tests/fuzz/corpus/<target>/: small, real-looking inputs in each target's
input layout (see FuzzCheck.h: a config byte, a split plan, the payload). Rerun after changing a layout;
regression inputs (crash-*) that a fix turned into tests are kept as they are.
Usage: tests/fuzz/make-corpus.py"""
import gzip
import json
import os
import struct
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def framed(config, plan, payload):
    """The shared layout: config byte, plan length, plan bytes, payload."""
    return bytes([config, len(plan)]) + bytes(plan) + payload


def write(target, name, data):
    directory = os.path.join(HERE, 'corpus', target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), 'wb') as f:
        f.write(data)


def chunked(body, size):
    out = b''
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b'%x\r\n' % len(piece) + piece + b'\r\n'
    return out + b'0\r\n\r\n'


BODY = json.dumps({'model': 'gpt-5-codex', 'stream': True, 'input': [
    {'type': 'message', 'role': 'user', 'content': [{'type': 'input_text', 'text': 'hi'}]}],
    'reasoning': {'effort': 'high'}, 'prompt_cache_key': 'c1'}, separators=(',', ':')).encode()


def requests():
    t = 'fuzz_http_request_parser'
    post = (b'POST /v1/responses HTTP/1.1\r\nHost: localhost:2455\r\nAuthorization: Bearer sk-kg-abc\r\n'
            b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(BODY)) + BODY
    write(t, 'post-content-length', framed(0x3f, [7, 30, 1], post))
    write(t, 'post-chunked', framed(0x3e, [5, 11],
          b'POST /backend-api/codex/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n'
          b'Expect: 100-continue\r\n\r\n' + chunked(BODY, 40)[:-2] + b'X-Trailer: 1\r\n\r\n'))
    write(t, 'pipelined', framed(0xff, [13],
          b'GET /v1/models HTTP/1.1\r\nHost: localhost\r\n\r\n'
          b'\r\nGET /v1/usage?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
          b'HEAD http://localhost:2455/health HTTP/1.0\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: [::1]:2455\r\n\r\n'))
    write(t, 'websocket-upgrade', framed(0x3f, [],
          b'GET /v1/responses HTTP/1.1\r\nHost: localhost:2455\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
          b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'))
    write(t, 'zstd-body', framed(0x3f, [64],
          b'POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nContent-Encoding: zstd\r\nContent-Length: 9\r\n\r\n'
          b'\x28\xb5\x2f\xfd\x20\x00\x01\x00\x00'))
    write(t, 'smuggle-te-cl', framed(0x3f, [3],
          b'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'))
    write(t, 'chunk-extensions', framed(0x02, [2],
          b'POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n'
          b'4;name=value\r\nabcd\r\n000000000000000000002 ; x\r\nef\r\n0\r\n\r\n'))
    write(t, 'regression-chunk-size-line-over-4k', framed(0x02, [3],
          b'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n' + b'0' * 4100 + b'1\r\nx\r\n0\r\n\r\n'))


def sse_event(kind, data):
    return b'event: ' + kind + b'\ndata: ' + json.dumps(data, separators=(',', ':')).encode() + b'\n\n'


def stream():
    usage = {'input_tokens': 12, 'input_tokens_details': {'cached_tokens': 4}, 'output_tokens': 7,
             'output_tokens_details': {'reasoning_tokens': 2}, 'total_tokens': 19}
    response = {'id': 'resp_1', 'object': 'response', 'model': 'gpt-5-codex', 'status': 'completed',
                'output': [], 'usage': usage}
    return (sse_event(b'response.created', {'type': 'response.created', 'response': dict(response, status='in_progress')})
            + sse_event(b'response.output_text.delta', {'type': 'response.output_text.delta', 'delta': 'Hel'})
            + sse_event(b'response.output_text.delta', {'type': 'response.output_text.delta', 'delta': 'lo'})
            + b': keep-alive\n\n'
            + sse_event(b'response.completed', {'type': 'response.completed', 'response': response}))


def sse():
    t = 'fuzz_sse'
    s = stream()
    write(t, 'fake-upstream-stream', framed(0x03, [17, 1, 200], s))
    write(t, 'crlf-split', framed(0x03, [1, 2, 3], s.replace(b'\n', b'\r\n')))
    write(t, 'cr-only', framed(0x02, [9], s.replace(b'\n', b'\r')))
    write(t, 'no-event-names', framed(0x03, [50],
          b'data: {"type":"response.output_text.delta","delta":"x"}\n\n'
          b'data: {"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"server_error"}}}\n\n'))
    write(t, 'error-event', framed(0x01, [4],
          b'event: error\ndata: {"type":"error","code":"rate_limit_exceeded","message":"slow down"}\n\n'))
    write(t, 'regression-empty', framed(0x00, [], b''))
    write(t, 'multi-line-data', framed(0x00, [6], b'retry: 10\nid: 7\ndata: a\ndata:b\ndata\n\nevent:  x \ndata: y\n\n'))


def ws_frame(opcode, payload, fin=True, mask=b'\x37\xfa\x21\x3d', masked=True):
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    bit = 0x80 if masked else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + struct.pack('>H', n)
    else:
        head += bytes([bit | 127]) + struct.pack('>Q', n)
    if not masked:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def websocket():
    t = 'fuzz_websocket_frame_parser'
    create = json.dumps({'type': 'response.create', 'model': 'gpt-5-codex', 'input': []}).encode()
    write(t, 'text-message', framed(0x02, [3, 1], ws_frame(1, create)))
    write(t, 'fragmented', framed(0x02, [5], ws_frame(1, create[:10], fin=False) + ws_frame(9, b'ping')
          + ws_frame(0, create[10:20], fin=False) + ws_frame(0, create[20:])))
    write(t, 'unmasked', framed(0x02, [], ws_frame(1, b'hello', masked=False)))
    write(t, 'ping-pong-close', framed(0x01, [2], ws_frame(9, b'p') + ws_frame(10, b'') + ws_frame(2, b'\x00\xff')
          + ws_frame(8, b'\x03\xe8bye')))
    write(t, 'length-126', framed(0x03, [100], ws_frame(2, bytes(range(256)) * 2)))
    write(t, 'length-127', framed(0x03, [1, 9], ws_frame(1, b'x', fin=False)
          + bytes([0x80, 0xff]) + struct.pack('>Q', 2**62) + b'\x01\x02\x03\x04'))
    write(t, 'regression-63bit-continuation', framed(0x02, [7], ws_frame(1, b'a', fin=False, mask=b'\x12\x34\x56\x78')
          + bytes.fromhex('80ff7fffffffffffffff') + b'\x12\x34\x56\x78bc'))
    write(t, 'bad-utf8', framed(0x02, [4], ws_frame(1, b'\xc3\x28') + ws_frame(8, b'\x03\xed')))


def response_seeds():
    t = 'fuzz_http_response_parser'
    s = stream()
    write(t, 'sse-chunked', framed(0x00, [30, 7],
          b'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n' + chunked(s, 97)))
    write(t, 'json-length', framed(0x00, [12], b'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n'
          b'Retry-After: 3\r\nx-codex-primary-used-percent: 100\r\nContent-Length: 58\r\n\r\n'
          b'{"error":{"type":"usage_limit_reached","resets_in_seconds":3}}'[:58]))
    write(t, 'continue-then-final', framed(0x00, [5], b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n'
          b'HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'))
    write(t, 'until-close', framed(0x02, [8], b'HTTP/1.0 200 OK\nContent-Type: text/plain\n\nbody until close'))
    write(t, 'head-request', framed(0x05, [2], b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'))
    write(t, 'chunk-trailer', framed(0x04, [3], b'HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: gzip, chunked\r\n'
          b'Content-Length: 3\r\n\r\n5;ext=1\r\nhello\n0\r\nX-T: 1\r\n\r\nextra'))


def json_bodies():
    t = 'fuzz_json_body'
    write(t, 'responses-request', BODY)
    write(t, 'escaped-names', b'{"mod\\u0065l":"gpt-5","stream":true,"reasoning":{"effort":"low","summary":"auto"},'
          b'"service_tier":"priority","input":[{"a":[1,-2.5e+3,true,false,null,"\\ud83d\\ude00"]}]}')
    write(t, 'duplicate-nested', b'{"model":"m","input":[{"type":"message","type":"x"}]}')
    write(t, 'lone-surrogate-name', b'{"\\ud800":1,"model":"\\ud800"}')
    write(t, 'deep', b'{"a":' + b'[' * 40 + b']' * 40 + b'}')
    write(t, 'many-members', b'{' + b','.join(b'"k%d":%d' % (i, i) for i in range(40)) + b'}')


def codings():
    t = 'fuzz_request_body_decoder'
    # Config indexes the encodings table of fuzz_request_body_decoder.cpp; 0x80 set = a round trip.
    write(t, 'gzip', bytes([2, 8]) + gzip.compress(BODY, mtime=0))
    write(t, 'x-gzip-concatenated', bytes([3, 1]) + gzip.compress(b'ab', mtime=0) + gzip.compress(b'cd', mtime=0))
    write(t, 'deflate-zlib', bytes([4, 255]) + zlib.compress(BODY))
    raw = zlib.compressobj(wbits=-15)
    write(t, 'deflate-raw', bytes([4, 3]) + raw.compress(BODY) + raw.flush())
    zstd = subprocess.run(['zstd', '-q', '-c'], input=BODY, capture_output=True).stdout if have_zstd() else b''
    if zstd:
        write(t, 'zstd', bytes([5, 8]) + zstd)
        write(t, 'zstd-identity-gzip', bytes([9, 8]) + gzip.compress(zstd, mtime=0))
    write(t, 'gzip-bomb', bytes([2, 0]) + gzip.compress(b'\0' * 200000, mtime=0))
    write(t, 'stacked', bytes([8, 8]) + gzip.compress(zlib.compress(BODY), mtime=0))
    write(t, 'round-trip', bytes([0x80, 0]) + BODY)
    write(t, 'round-trip-zstd', bytes([0x83, 0]) + b'hello hello hello')


def have_zstd():
    from shutil import which
    return which('zstd') is not None


def chat():
    t = 'fuzz_chat_request_translator'
    write(t, 'opencode', json.dumps({
        'model': 'gpt-5-codex', 'stream': True, 'stream_options': {'include_usage': True},
        'messages': [{'role': 'system', 'content': 'You are a coding agent.'},
                     {'role': 'user', 'content': [{'type': 'text', 'text': 'fix it'},
                                                  {'type': 'image_url', 'image_url': {'url': 'data:image/png;base64,AA', 'detail': 'low'}}]},
                     {'role': 'assistant', 'content': None, 'tool_calls': [
                         {'id': 'call_1', 'type': 'function', 'function': {'name': 'read', 'arguments': '{"path":"a"}'}}]},
                     {'role': 'tool', 'tool_call_id': 'call_1', 'content': 'file text'}],
        'tools': [{'type': 'function', 'function': {'name': 'read', 'description': 'Read a file',
                                                     'parameters': {'type': 'object', 'properties': {'path': {'type': 'string'}}}}}],
        'tool_choice': 'auto', 'parallel_tool_calls': False, 'reasoning_effort': 'medium',
        'max_completion_tokens': 4096, 'temperature': 0.2}).encode())
    write(t, 'aider', json.dumps({
        'model': 'gpt-4.1', 'messages': [{'role': 'developer', 'content': [{'type': 'text', 'text': 'be brief'}]},
                                         {'role': 'user', 'content': 'hi'},
                                         {'role': 'system', 'content': 'late system'}],
        'response_format': {'type': 'json_schema', 'json_schema': {'name': 'x', 'schema': {}, 'strict': True}},
        'max_tokens': 100, 'top_p': 1, 'n': 1, 'prompt_cache_key': 'k', 'service_tier': 'flex'}).encode())
    write(t, 'file-part', json.dumps({'model': 'm', 'messages': [{'role': 'user', 'content': [
        {'type': 'file', 'file': {'file_id': 'f1', 'filename': 'a.pdf'}}]}], 'tool_choice':
        {'type': 'function', 'function': {'name': 'read'}}}).encode())
    write(t, 'refused', b'{"model":"m","messages":[{"role":"robot","content":"x"}],"max_tokens":0}')
    write(t, 'regression-max-tokens-1e300', b'{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":1e300}')


def auth():
    t = 'fuzz_auth_decision'
    # Config bits: 1 require-key, 2 route needs a key, 4 loopback peer, 8 Host localhost:2455,
    # 0x30 x-api-key-fallback (0x10 placeholder-only, 0x20 never).
    # Line bytes 0-7 name a header; 0xF0-0xF4 in a value stand for the known keys, 0xF5 a look-alike.
    write(t, 'bearer-valid', bytes([1]) + b'\x00Bearer \xf0')
    write(t, 'bearer-disabled-then-x-api-key', bytes([1]) + b'\x00bearer\t\xf1 \n\x02 \xf3 ')
    write(t, 'expired-now', bytes([1]) + b'\x02\xf4')
    write(t, 'conflicting', bytes([1]) + b'\x02\xf0\n\x03\xf3')
    write(t, 'anonymous-local', bytes([12]))
    write(t, 'remote-require-off', bytes([8]) + b'\x00Bearer \xf0\nX-Forwarded-For: 1.2.3.4')
    write(t, 'lookalike', bytes([13]) + b'\x00Basic \xf5\nAUTHORIZATION:Bearer \xf5')
    write(t, 'jwt', bytes([1]) + b'\x00Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl\n\x02\xf2')
    write(t, 'placeholder-only-key-shaped-bearer', bytes([0x15]) + b'\x00Bearer sk-kg-unknown\n\x02\xf0')
    write(t, 'placeholder-only-jwt', bytes([0x15]) + b'\x00Bearer eyJhbGciOi.eyJzdWIi.c2ln\n\x02\xf0')
    write(t, 'never-x-api-key-only', bytes([0x25]) + b'\x02\xf0')


if __name__ == '__main__':
    requests()
    response_seeds()
    websocket()
    sse()
    json_bodies()
    codings()
    chat()
    auth()
