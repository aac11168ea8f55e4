# The Leadsie "Python code step" for Zapier, wrapped in a function so it can be called.
#
# Source: Leadsie's help page "Webhooks", section "Script to use in Zapier (or other tools) to
# get separate data for each asset" -- stored in /work/shared/seeds/001_e881790c9cfef082.txt
# (the block from `import json` to `return output`).
#
# The body of `seed_flatten` is that code VERBATIM, only indented by one level (4 spaces):
# do not edit it, not even to fix its quirks. leadhook's `flatten` must reproduce its output
# (`tests/seed_parity.rs`), quirks included. `input` is Zapier's inputData dict, e.g.
# {'payload': '<the webhook body as JSON text>'}.


def seed_flatten(input):
    import json
    try:
        actual_payload = input.get('payload', {})
        if isinstance(actual_payload, str):
            actual_payload = json.loads(actual_payload)
        output = {
            'user_id': actual_payload.get('user', ''),  # Use get to avoid KeyError if 'user' is not set
            'requestUrl': actual_payload['requestUrl'],
            'requestName': actual_payload['requestName']
        }
        # Loop through each item in connectionAssets
        for item in actual_payload['connectionAssets']:
            prefix = item['type'].lower().replace(' ', '_')  # Create a prefix for output keys based on asset type
            # Add the relevant data to output with keys prefixed by asset type, aggregate if key already exists
            output[f"{prefix}_id"] = f"{output.get(f'{prefix}_id', '')}, {item['id']}".strip(', ')
            output[f"{prefix}_name"] = f"{output.get(f'{prefix}_name', '')}, {item['name']}".strip(', ')
            output[f"{prefix}_is_success"] = f"{output.get(f'{prefix}_is_success', '')}, {item['isSuccess']}".strip(', ')
            output[f"{prefix}_message"] = f"{output.get(f'{prefix}_message', '')}, {item.get('message', '')}".strip(', ')
    except KeyError as e:
        output = {'error': f"KeyError: The key {str(e)} is not present in the input data.", 'available_keys': list(actual_payload.keys()) if 'actual_payload' in locals() else []}
    except json.JSONDecodeError as e:
        output = {'error': f"JSONDecodeError: Could not decode the payload string. Error: {str(e)}", 'raw_payload': str(input.get('payload', ''))}

    return output
