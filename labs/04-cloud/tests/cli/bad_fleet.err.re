^cloud: fleet .*/f.json: "types" must be a non-empty array$
